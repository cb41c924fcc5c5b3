const shortEscapes: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/**
 * A string literal exactly as Python's `json.dumps` writes it with its defaults
 * (`ensure_ascii=True`): everything outside printable ASCII becomes `\uXXXX` with lowercase hex,
 * characters above U+FFFF as their UTF-16 surrogate pair. llm hashes URL attachments through
 * this encoding, so ids only agree with llm's when it is reproduced to the byte.
 */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let index = 0; index < value.length; index++) {
    const character = value.charAt(index);
    const code = value.charCodeAt(index);
    const short = shortEscapes[character];
    if (short !== undefined) {
      out += short;
    } else if (code < 0x20 || code > 0x7e) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else {
      out += character;
    }
  }
  return `${out}"`;
}

/**
 * A JSON value written as Python's `json.dumps` writes it with its defaults: `", "` and `": "`
 * between items, keys in insertion order, strings as `pythonJsonString`. Numbers are written as
 * JavaScript writes them, which is Python's writing (`Infinity` included) except for integral
 * floats (`1.0`), which a parsed JSON value cannot tell from integers anyway.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonJsonString(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => `${pythonJsonString(key)}: ${pythonJsonDumps(item)}`);
    return `{${items.join(', ')}}`;
  }
  throw new TypeError(`Cannot write a ${typeof value} as JSON`);
}

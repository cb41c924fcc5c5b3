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

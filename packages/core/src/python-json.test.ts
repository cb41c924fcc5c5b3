import { describe, expect, it } from 'vitest';
import { pythonJsonString } from './python-json.ts';

describe('pythonJsonString', () => {
  it('escapes quotes, backslashes and control characters as json.dumps does', () => {
    expect(pythonJsonString('a"b\\c\n\t\r\b\f')).toBe('"a\\"b\\\\c\\n\\t\\r\\b\\f"');
    expect(pythonJsonString('\u0001')).toBe('"\\u0001"');
  });

  it('writes every non-ASCII character as lowercase \\uXXXX, astral ones as surrogate pairs', () => {
    expect(pythonJsonString('café')).toBe('"caf\\u00e9"');
    expect(pythonJsonString('日本')).toBe('"\\u65e5\\u672c"');
    expect(pythonJsonString('😀')).toBe('"\\ud83d\\ude00"');
    expect(pythonJsonString('\u007f')).toBe('"\\u007f"');
  });

  it('leaves printable ASCII alone', () => {
    expect(pythonJsonString("https://example.com/a?b=c&d='e'")).toBe(
      `"https://example.com/a?b=c&d='e'"`,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { ChatInput } from './chat-input.ts';

function actionsOf(lines: readonly string[]) {
  const input = new ChatInput();
  return lines.map((line) => input.accept(line));
}

describe('ChatInput', () => {
  it('sends each non-empty line, and ends at exit or quit', () => {
    expect(actionsOf(['hello', '   ', 'exit', 'quit'])).toEqual([
      { kind: 'send', text: 'hello' },
      undefined,
      { kind: 'exit' },
      { kind: 'exit' },
    ]);
  });

  it('collects the lines between !multi and !end into one prompt, commands included', () => {
    const input = new ChatInput();
    expect(input.accept('!multi')).toBeUndefined();
    expect(input.collecting).toBe(true);
    expect(input.accept('first line')).toBeUndefined();
    expect(input.accept('exit')).toBeUndefined();
    expect(input.accept('')).toBeUndefined();
    expect(input.accept('!end')).toEqual({ kind: 'send', text: 'first line\nexit\n' });
    expect(input.collecting).toBe(false);
  });

  it('ends a !multi word prompt only at !end word, and sends nothing for an empty one', () => {
    expect(actionsOf(['!multi abc', '!end', 'text', '!end abc'])).toEqual([
      undefined,
      undefined,
      undefined,
      { kind: 'send', text: '!end\ntext' },
    ]);
    expect(actionsOf(['!multi', '!end'])).toEqual([undefined, undefined]);
  });

  it('asks for the editor on !edit', () => {
    expect(actionsOf(['!edit'])).toEqual([{ kind: 'edit' }]);
  });
});

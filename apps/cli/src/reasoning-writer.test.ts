import { describe, expect, it } from 'vitest';
import { ReasoningWriter } from './reasoning-writer.ts';

function target(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

describe('ReasoningWriter', () => {
  it('writes reasoning plainly, ended on its own line, when stderr is not a terminal', () => {
    const stderr = target(false);
    const writer = new ReasoningWriter(stderr, true);
    writer.write('step one, ');
    writer.write('step two');
    writer.end();
    writer.end();
    expect(stderr.written.join('')).toBe('step one, step two\n');
  });

  it('dims reasoning on a terminal', () => {
    const stderr = target(true);
    const writer = new ReasoningWriter(stderr, true);
    writer.write('thinking');
    writer.end();
    expect(stderr.written.join('')).toBe('\u001b[2mthinking\u001b[22m\n');
  });

  it('writes nothing when reasoning is hidden, or when there was none', () => {
    const hidden = target(true);
    const writer = new ReasoningWriter(hidden, false);
    writer.write('secret');
    writer.end();
    const none = target(true);
    new ReasoningWriter(none, true).end();
    expect([...hidden.written, ...none.written]).toEqual([]);
  });
});

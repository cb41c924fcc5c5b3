import { describe, expect, it } from 'vitest';
import { toStreamEvent } from './stream-event.ts';

describe('toStreamEvent', () => {
  it('makes a string a text event and keeps typed events as they are', () => {
    expect(toStreamEvent('hi')).toEqual({ type: 'text', chunk: 'hi' });
    const reasoning = { type: 'reasoning', chunk: 'hmm' } as const;
    expect(toStreamEvent(reasoning)).toBe(reasoning);
    const toolCall = { type: 'tool_call', call: { id: 'c', name: 'now', arguments: {} } } as const;
    expect(toStreamEvent(toolCall)).toBe(toolCall);
  });
});

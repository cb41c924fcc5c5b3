import type { PromptEvent } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { reasoningOfEvents, type StreamEntry, textOfEvents } from './follow-events.ts';

function entries(...events: PromptEvent[]): StreamEntry[] {
  return events.map((event, index) => ({ id: String(index), event }));
}

describe('the text and reasoning of a stream', () => {
  const stream = entries(
    { type: 'status', status: 'running', attempt: 1 },
    { type: 'reasoning', text: 'first try ' },
    { type: 'chunk', text: 'lost' },
    { type: 'restart', attempt: 2 },
    { type: 'reasoning', text: 'think ' },
    { type: 'chunk', text: '{"a":' },
    { type: 'reasoning', text: 'again' },
    { type: 'chunk', text: '1}' },
    {
      type: 'done',
      status: 'succeeded',
      usage: { input: 1, output: 2, details: null },
      duration_ms: 3,
      data: { a: 1 },
    },
  );

  it('keeps reasoning apart from the answer, each from the last attempt only', () => {
    expect(textOfEvents(stream)).toBe('{"a":1}');
    expect(reasoningOfEvents(stream)).toBe('think again');
  });

  it('gives empty reasoning for a model that shows none', () => {
    expect(reasoningOfEvents(entries({ type: 'chunk', text: 'plain' }))).toBe('');
  });
});

import type { PromptEvent } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { ResponseEvents } from './response-events.ts';

const row = {
  id: '01jc0000000000000000000000',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  model: 'echo',
  system: null,
  options: {},
  tools: null,
  metadata: null,
};
const done: PromptEvent = {
  type: 'done',
  status: 'succeeded',
  usage: { input: 1, output: 2, details: null },
  duration_ms: 3,
};

function mapped(log: readonly PromptEvent[]) {
  const events = new ResponseEvents(row);
  return log.flatMap((event) => events.next(event));
}

describe('ResponseEvents', () => {
  it('numbers the events of a log from 0 and ends with response.completed', () => {
    const events = mapped([
      { type: 'status', status: 'queued', attempt: 0 },
      { type: 'status', status: 'running', attempt: 1 },
      { type: 'chunk', text: 'Hel' },
      { type: 'chunk', text: 'lo' },
      done,
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.at(-1)).toMatchObject({
      response: {
        status: 'completed',
        output: [{ id: `msg_${row.id}_0`, content: [{ text: 'Hello' }] }],
        usage: { input_tokens: 1, output_tokens: 2, total_tokens: 3 },
      },
    });
  });

  it('passes over a restart before any output, and ends with an error event after output', () => {
    const quiet = mapped([
      { type: 'status', status: 'running', attempt: 1 },
      { type: 'restart', attempt: 2 },
      { type: 'chunk', text: 'ok' },
      done,
    ]);
    expect(quiet.at(-1)?.type).toBe('response.completed');
    const cut = mapped([
      { type: 'status', status: 'running', attempt: 1 },
      { type: 'chunk', text: 'half' },
      { type: 'restart', attempt: 2 },
      { type: 'chunk', text: 'whole' },
      done,
    ]);
    expect(cut.at(-1)).toMatchObject({ type: 'error', code: 'restarted' });
    expect(cut.some((event) => event.type === 'response.completed')).toBe(false);
  });

  it('gives calls for the client as function_call items after the text', () => {
    const events = mapped([
      { type: 'status', status: 'running', attempt: 1 },
      {
        ...done,
        finish_reason: 'tool_calls',
        tool_calls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Lisbon' } }],
      },
    ]);
    expect(
      events.find((event) => event.type === 'response.function_call_arguments.done'),
    ).toMatchObject({
      item_id: `fc_${row.id}_0`,
      output_index: 0,
      arguments: '{"city":"Lisbon"}',
    });
  });
});

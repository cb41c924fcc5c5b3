import type { PromptBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { storedAnswerParts } from './stored-answer-parts.ts';

function step(
  id: string,
  number: number,
  fields: Pick<PromptBody, 'text' | 'tool_calls' | 'tool_results'>,
): PromptBody {
  return {
    id,
    model: 'echo',
    resolved_model: 'echo',
    fallback_reason: null,
    status: 'succeeded',
    prompt: '',
    system: null,
    options: {},
    conversation_id: 'conversation',
    batch_id: null,
    custom_id: null,
    schema_id: null,
    data: null,
    reasoning: null,
    usage: null,
    cost_usd: null,
    tools: null,
    finish_reason: 'stop',
    chain: { id: 'first', step: number, limit: 5 },
    duration_ms: 5,
    datetime_utc: null,
    attempts: 1,
    error: null,
    attachments: [],
    created_at: '2026-12-03T16:30:00.000Z',
    started_at: null,
    completed_at: null,
    links: { self: `/v1/prompts/${id}`, stream: `/v1/prompts/${id}/stream` },
    ...fields,
  };
}

describe('storedAnswerParts', () => {
  it('shows each step’s carried results, its text and its calls, in the order they streamed', () => {
    const call = { id: 'c1', name: 'add', arguments: { a: 1, b: 2 } };
    const result = { tool_call_id: 'c1', name: 'add', output: '3', exception: null };
    const parts = storedAnswerParts([
      step('first', 1, { text: 'Adding.', tool_calls: [call], tool_results: [] }),
      step('second', 2, { text: 'It is 3.', tool_calls: null, tool_results: [result] }),
    ]);
    expect(parts).toEqual([
      { kind: 'text', text: 'Adding.' },
      { kind: 'tool_call', step: 1, call },
      { kind: 'tool_result', step: 2, result },
      { kind: 'text', text: 'It is 3.' },
    ]);
  });

  it('is the text alone for a prompt without tools, and nothing for one without text', () => {
    const plain = step('only', 1, { text: 'Hello', tool_calls: null, tool_results: [] });
    expect(storedAnswerParts([{ ...plain, chain: null }])).toEqual([
      { kind: 'text', text: 'Hello' },
    ]);
    expect(storedAnswerParts([{ ...plain, text: null }])).toEqual([]);
  });
});

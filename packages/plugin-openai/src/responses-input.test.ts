import { assistantMessage, systemMessage, toolMessage, userMessage } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { buildResponsesInput } from './responses-input.ts';

const reasoning = {
  type: 'reasoning',
  id: 'rs_1',
  summary: [],
  encrypted_content: 'gAAAAAxyz',
};
const payload = { object: 'response', output: [reasoning] };

describe('buildResponsesInput', () => {
  it('makes the last system message the instructions and keeps it out of the input', async () => {
    const built = await buildResponsesInput(
      [systemMessage('Old.'), systemMessage('New.'), userMessage('hi')],
      { sendReasoning: false },
    );
    expect(built).toEqual({ instructions: 'New.', input: [{ role: 'user', content: 'hi' }] });
  });

  it('sends a turn’s reasoning before its output, never for a turn with no output', async () => {
    const call = { id: 'c1', name: 'f', arguments: { a: 1 } };
    const { input } = await buildResponsesInput(
      [
        userMessage('q'),
        assistantMessage('', [call], payload),
        toolMessage([{ toolCallId: 'c1', name: 'f', output: '2' }]),
        assistantMessage('', [], payload),
      ],
      { sendReasoning: true },
    );
    expect(input).toEqual([
      { role: 'user', content: 'q' },
      reasoning,
      { type: 'function_call', call_id: 'c1', name: 'f', arguments: '{"a":1}' },
      { type: 'function_call_output', call_id: 'c1', output: '2' },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { batchLineResult } from './openai-batch-lines.ts';

const line = (value: unknown) => JSON.stringify(value);
const completion = (message: unknown) => ({
  custom_id: 'item-1',
  response: {
    status_code: 200,
    body: { id: 'c', object: 'chat.completion', model: 'gpt', choices: [{ index: 0, message }] },
  },
  error: null,
});

describe('batchLineResult', () => {
  it('answers a readable line', () => {
    expect(
      batchLineResult(line(completion({ role: 'assistant', content: 'hi' })), 'gpt'),
    ).toMatchObject({
      customId: 'item-1',
      type: 'succeeded',
      answer: { text: 'hi' },
    });
  });

  it('fails its own request for a 200 body without choices', () => {
    const result = batchLineResult(
      line({ custom_id: 'item-1', response: { status_code: 200, body: {} }, error: null }),
      'gpt',
    );
    expect(result).toMatchObject({ customId: 'item-1', type: 'failed' });
    expect((result as { error: string }).error).toMatch(/^unreadable result: /);
  });

  it('fails its own request for a tool call that is not a function', () => {
    const result = batchLineResult(
      line(
        completion({
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 't', type: 'custom', custom: { name: 'x', input: '' } }],
        }),
      ),
      'gpt',
    );
    expect(result).toMatchObject({ customId: 'item-1', type: 'failed' });
    expect((result as { error: string }).error).toMatch(/unreadable result: .*custom tool call/);
  });

  it('gives a line that is not JSON, or names no request, as unreadable', () => {
    expect(batchLineResult('not json', 'gpt')).toHaveProperty('unreadable');
    expect(
      batchLineResult(line({ response: { status_code: 200, body: {} } }), 'gpt'),
    ).toHaveProperty('unreadable');
  });
});

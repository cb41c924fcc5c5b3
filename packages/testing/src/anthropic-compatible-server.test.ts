import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicCompatibleServer,
  startAnthropicCompatibleServer,
} from './anthropic-compatible-server.ts';
import { signThinking } from './anthropic-thinking-signature.ts';

let server: AnthropicCompatibleServer;

beforeAll(async () => {
  server = await startAnthropicCompatibleServer();
});

afterAll(async () => {
  await server.close();
});

const post = (body: unknown) =>
  fetch(`${server.baseUrl}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** The events of an SSE body as `[event, data]` pairs. */
async function events(response: Response): Promise<[string, Record<string, unknown>][]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return [
        String(eventLine?.replace(/^event: /, '')),
        JSON.parse(String(dataLine?.replace(/^data: /, ''))),
      ];
    });
}

const request = {
  model: 'claude-test',
  max_tokens: 2000,
  messages: [{ role: 'user', content: 'Weather?' }],
};

describe('the local Anthropic-compatible server', () => {
  it('streams Anthropic’s event sequence: thinking, text and a tool call by block', async () => {
    server.enqueue({
      thinking: 'Hm.',
      text: 'Checking.',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', inputChunks: ['{"city":', '"Oslo"}'] }],
      usage: { input_tokens: 5, output_tokens: 9 },
    });
    const response = await post({
      ...request,
      stream: true,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const received = await events(response);
    expect(received.map(([event, data]) => [event, data.type])).toEqual(
      received.map(([event]) => [event, event]),
    );
    expect(
      received.map(([event, data]) => (data.delta as { type?: string })?.type ?? event),
    ).toEqual([
      'message_start',
      'content_block_start',
      'ping',
      'thinking_delta',
      'signature_delta',
      'content_block_stop',
      'content_block_start',
      'text_delta',
      'content_block_stop',
      'content_block_start',
      'input_json_delta',
      'input_json_delta',
      'input_json_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(received[0]?.[1]).toMatchObject({
      message: { model: 'claude-test', role: 'assistant', content: [], usage: { input_tokens: 5 } },
    });
    expect(received[4]?.[1]).toEqual({
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'signature_delta', signature: signThinking('Hm.') },
    });
    expect(received[9]?.[1]).toEqual({
      type: 'content_block_start',
      index: 2,
      content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
    });
    expect(received.at(-2)?.[1]).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'tool_use', stop_sequence: null },
      usage: { input_tokens: 5, output_tokens: 9 },
    });
  });

  it('answers a whole message, and an error event mid-stream when scripted', async () => {
    const whole = await (await post(request)).json();
    expect(whole).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'ok' }],
      stop_reason: 'end_turn',
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });
    server.enqueue({
      text: 'a b c',
      streamError: { type: 'overloaded_error', message: 'Overloaded' },
    });
    const received = await events(await post({ ...request, stream: true }));
    expect(received.at(-1)).toEqual([
      'error',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    expect(received.some(([event]) => event === 'message_stop')).toBe(false);
  });

  it('answers a scripted status with Anthropic’s error body and the given headers', async () => {
    server.enqueue({ status: 529, headers: { 'retry-after': '3' } });
    const response = await post(request);
    expect(response.status).toBe(529);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Error 529' },
    });
  });

  it('answers 400 in Anthropic’s words to what Anthropic refuses', async () => {
    const refusal = async (body: unknown) => {
      const response = await post(body);
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { type: string; message: string } };
      expect(error.type).toBe('invalid_request_error');
      return error.message;
    };
    const { max_tokens: _omitted, ...withoutMaxTokens } = request;
    expect(await refusal(withoutMaxTokens)).toBe('max_tokens: Field required');
    expect(
      await refusal({ ...request, messages: [{ role: 'system', content: 'Be terse.' }] }),
    ).toMatch(/^messages: Unexpected role "system"/);
    expect(
      await refusal({
        ...request,
        messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }],
      }),
    ).toBe('messages.0.content.0.text: text content blocks must be non-empty');
    expect(
      await refusal({
        ...request,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_x', content: 'x' }],
          },
        ],
      }),
    ).toMatch(
      /^messages\.0\.content\.0: unexpected `tool_use_id` found in `tool_result` blocks: toolu_x/,
    );
    expect(
      await refusal({
        ...request,
        messages: [
          { role: 'user', content: 'a' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'changed', signature: signThinking('original') },
            ],
          },
          { role: 'user', content: 'b' },
        ],
      }),
    ).toBe('messages.1.content.0: Invalid `signature` in `thinking` block');
    expect(await refusal({ ...request, thinking: { type: 'enabled', budget_tokens: 4000 } })).toBe(
      '`max_tokens` must be greater than `thinking.budget_tokens`.',
    );
    expect(await refusal({ ...request, tool_choice: { type: 'any' } })).toBe(
      'tool_choice may only be specified while providing tools.',
    );
  });
});

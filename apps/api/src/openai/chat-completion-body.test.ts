import type { ResponseRow } from '@llmq/db/reads';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import { describe, expect, it } from 'vitest';
import { ChunkFrames, completionBody, usageBody } from './chat-completion-body.ts';

/** A succeeded prompt row with only what the bodies read. */
function row(fields: Partial<ResponseRow>): ResponseRow {
  return {
    id: 'p1',
    model: 'o4',
    createdAt: new Date('2026-01-02T03:04:05Z'),
    response: 'ok',
    reasoning: null,
    inputTokens: 3,
    outputTokens: 12,
    tokenDetails: null,
    ...fields,
  } as ResponseRow;
}

/** The JSON of an SSE `data:` frame. */
const frameJson = (frame: string) => JSON.parse(frame.replace(/^data: /, ''));

describe('reasoning in the OpenAI facade’s bodies', () => {
  it('reports reasoning tokens as completion_tokens_details.reasoning_tokens', () => {
    expect(
      usageBody({
        input: 3,
        output: 12,
        details: { completion_tokens_details: { reasoning_tokens: 10 }, other: 1 },
      }),
    ).toEqual({
      prompt_tokens: 3,
      completion_tokens: 12,
      total_tokens: 15,
      completion_tokens_details: { reasoning_tokens: 10 },
    });
  });

  it('adds no token details when the model reported no reasoning tokens', () => {
    for (const details of [null, undefined, {}, { completion_tokens_details: 'x' }]) {
      expect(usageBody({ input: 1, output: 2, details })).toEqual({
        prompt_tokens: 1,
        completion_tokens: 2,
        total_tokens: 3,
      });
    }
  });

  it('gives a completion the reasoning as message.reasoning_content, and its usage details', () => {
    const body = completionBody(
      row({
        reasoning: 'Think first.',
        tokenDetails: { completion_tokens_details: { reasoning_tokens: 10 } },
      }),
    );
    expect(body.choices[0]?.message).toMatchObject({
      content: 'ok',
      reasoning_content: 'Think first.',
    });
    expect(body.usage.completion_tokens_details).toEqual({ reasoning_tokens: 10 });
  });

  it('leaves reasoning_content out when the model showed no reasoning', () => {
    expect(completionBody(row({})).choices[0]?.message).not.toHaveProperty('reasoning_content');
  });

  it('streams reasoning as delta.reasoning_content, and the usage chunk with its details', () => {
    const frames = new ChunkFrames(row({}), true);
    expect(frameJson(frames.reasoning('Think')).choices[0].delta).toEqual({
      reasoning_content: 'Think',
    });
    const usage = frames.usage({
      input: 3,
      output: 12,
      details: { completion_tokens_details: { reasoning_tokens: 10 } },
    });
    expect(frameJson(usage ?? '').usage.completion_tokens_details).toEqual({
      reasoning_tokens: 10,
    });
  });
});

const calls = [
  { id: 'call_w', name: 'get_weather', arguments: { city: 'Lisbon', units: 'C' } },
  { id: 'call_t', name: 'get_time', arguments: {} },
];

/** Frames as the SDK reads a stream handed to it: one chunk's JSON a line. */
function sdkStream(frames: readonly string[]): ReadableStream<Uint8Array> {
  const lines = frames.map((frame) => `${frame.replace(/^data: /, '').trim()}\n`);
  return new ReadableStream({
    start(controller) {
      for (const line of lines) controller.enqueue(new TextEncoder().encode(line));
      controller.close();
    },
  });
}

describe('tool calls in the OpenAI facade’s bodies', () => {
  it('gives a completion that ended with calls message.tool_calls, null content and finish_reason tool_calls', () => {
    const body = completionBody(row({ response: '', toolCalls: calls }));
    expect(body.choices[0]?.finish_reason).toBe('tool_calls');
    expect(body.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          id: 'call_w',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Lisbon","units":"C"}' },
        },
        { id: 'call_t', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
    const said = completionBody(row({ response: 'Looking.', toolCalls: calls }));
    expect(said.choices[0]?.message.content).toBe('Looking.');
    const plain = completionBody(row({ toolCalls: null }));
    expect(plain.choices[0]?.finish_reason).toBe('stop');
    expect(plain.choices[0]?.message).not.toHaveProperty('tool_calls');
  });

  it('streams each call’s header, then its arguments, in OpenAI’s exact chunk format', () => {
    const frames = new ChunkFrames(row({}), false);
    expect(frames.toolCalls(calls).map((frame) => frameJson(frame).choices[0])).toEqual([
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 0,
              id: 'call_w',
              type: 'function',
              function: { name: 'get_weather', arguments: '' },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [{ index: 0, function: { arguments: '{"city":"Lisbon","units":"C"}' } }],
        },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [
            {
              index: 1,
              id: 'call_t',
              type: 'function',
              function: { name: 'get_time', arguments: '' },
            },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: { tool_calls: [{ index: 1, function: { arguments: '{}' } }] },
        logprobs: null,
        finish_reason: null,
      },
    ]);
    expect(frameJson(frames.finish('tool_calls')).choices[0]).toMatchObject({
      delta: {},
      finish_reason: 'tool_calls',
    });
  });

  it('streams what the SDK’s own stream helper folds into the calls', async () => {
    const frames = new ChunkFrames(row({}), true);
    const stream = ChatCompletionStream.fromReadableStream(
      sdkStream([
        frames.role(),
        frames.content('Looking.'),
        ...frames.toolCalls(calls),
        frames.finish('tool_calls'),
        frames.usage({ input: 3, output: 12 }) ?? '',
      ]),
    );
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message).toMatchObject({
      role: 'assistant',
      content: 'Looking.',
      tool_calls: [
        {
          id: 'call_w',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Lisbon","units":"C"}' },
        },
        { id: 'call_t', type: 'function', function: { name: 'get_time', arguments: '{}' } },
      ],
    });
  });
});

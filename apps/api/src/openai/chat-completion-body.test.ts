import type { ResponseRow } from '@llmq/db/reads';
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

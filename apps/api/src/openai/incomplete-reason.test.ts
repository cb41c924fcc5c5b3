import { describe, expect, it } from 'vitest';
import { incompleteReasonOf } from './incomplete-reason.ts';

const reasonOf = (responseJson: unknown) => incompleteReasonOf({ responseJson });

describe('incompleteReasonOf', () => {
  it('reads a Responses API answer cut short, with or without its reason', () => {
    expect(
      reasonOf({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } }),
    ).toBe('max_output_tokens');
    expect(
      reasonOf({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }),
    ).toBe('content_filter');
    expect(reasonOf({ status: 'incomplete' })).toBe('max_output_tokens');
    expect(reasonOf({ status: 'completed' })).toBeUndefined();
  });

  it('reads a Chat Completions finish_reason, streamed or whole, and an Anthropic stop_reason', () => {
    expect(reasonOf({ object: 'chat.completion.chunk', finish_reason: 'length' })).toBe(
      'max_output_tokens',
    );
    expect(reasonOf({ choices: [{ finish_reason: 'length' }] })).toBe('max_output_tokens');
    expect(reasonOf({ choices: [{ finish_reason: 'content_filter' }] })).toBe('content_filter');
    expect(reasonOf({ stop_reason: 'max_tokens' })).toBe('max_output_tokens');
    expect(reasonOf({ finish_reason: 'stop' })).toBeUndefined();
    expect(reasonOf({ stop_reason: 'end_turn' })).toBeUndefined();
  });

  it('finds nothing where nothing is stored', () => {
    for (const stored of [null, undefined, 'text', [], 3]) expect(reasonOf(stored)).toBeUndefined();
  });
});

import type { PromptSummaryBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { recentPromptLimit, recentPromptRows } from './recent-prompt-rows.ts';

function summary(id: string, prompt: string): PromptSummaryBody {
  return {
    id,
    model: 'echo',
    resolved_model: 'echo',
    fallback_reason: null,
    status: 'succeeded',
    prompt,
    system: null,
    options: {},
    conversation_id: null,
    batch_id: null,
    custom_id: null,
    text: 'answer',
    schema_id: null,
    data: null,
    reasoning: null,
    usage: null,
    cost_usd: null,
    tools: null,
    tool_calls: null,
    finish_reason: 'stop',
    chain: null,
    duration_ms: 5,
    datetime_utc: null,
    attempts: 1,
    error: null,
    created_at: '2026-12-03T16:30:00.000Z',
    started_at: null,
    completed_at: null,
    links: { self: `/v1/prompts/${id}`, stream: `/v1/prompts/${id}/stream` },
  };
}

describe('recentPromptRows', () => {
  it("links each prompt to its page by its first line, marking the shown answer's", () => {
    const rows = recentPromptRows(
      [summary('b', 'second\nmore lines'), summary('a', 'x'.repeat(100))],
      'b',
    );
    expect(rows.map(({ href, label, current }) => ({ href, label, current }))).toEqual([
      { href: '/prompts/b', label: 'second', current: true },
      { href: '/prompts/a', label: `${'x'.repeat(59)}…`, current: false },
    ]);
  });

  it('keeps to the newest few', () => {
    const many = Array.from({ length: 25 }, (_, index) => summary(`p${index}`, `prompt ${index}`));
    const rows = recentPromptRows(many, undefined);
    expect(rows).toHaveLength(recentPromptLimit);
    expect(rows[0]?.id).toBe('p0');
    expect(rows.some((row) => row.current)).toBe(false);
  });
});

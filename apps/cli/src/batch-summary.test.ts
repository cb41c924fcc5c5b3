import type { BatchBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { formatBatchSummary } from './batch-summary.ts';

// Cast: the summary reads these fields only, whatever else a batch gains.
const batch = {
  id: 'b1',
  model: 'echo',
  status: 'running',
  counts: { total: 4, queued: 1, running: 1, succeeded: 1, failed: 1, cancelled: 0 },
  prompt: 'describe',
  items_with_own_prompt: 0,
  system: null,
  options: {},
  schema_id: null,
  error: null,
  created_at: '2026-12-03T16:31:02.123Z',
  started_at: '2026-12-03T16:31:03Z',
  completed_at: null,
  cancelled_at: null,
  links: {
    self: '/v1/batches/b1',
    stream: '/v1/batches/b1/stream',
    results: '/v1/batches/b1/results',
  },
} as BatchBody;

describe('formatBatchSummary', () => {
  it('shows status, counts, a bar with the share ended, the times reached and absolute links', () => {
    expect(formatBatchSummary(batch, 'http://127.0.0.1:3000')).toBe(
      [
        'batch b1',
        'status     running',
        'model      echo',
        'prompt     "describe"',
        'items      4: 1 succeeded, 1 failed, 0 cancelled, 1 running, 1 queued',
        `progress   [${'#'.repeat(15)}${'.'.repeat(15)}] 50% (2/4)`,
        'created    2026-12-03 16:31:02 UTC',
        'started    2026-12-03 16:31:03 UTC',
        'results    http://127.0.0.1:3000/v1/batches/b1/results',
        'stream     http://127.0.0.1:3000/v1/batches/b1/stream',
        '',
      ].join('\n'),
    );
  });

  it('says how many items use their own prompt instead of the batch one', () => {
    const mixed = formatBatchSummary({ ...batch, items_with_own_prompt: 3 }, '');
    expect(mixed).toContain('prompt     "describe"; 3 items use their own prompt\n');
    const one = formatBatchSummary({ ...batch, items_with_own_prompt: 1 }, '');
    expect(one).toContain('prompt     "describe"; 1 item uses its own prompt\n');
    const none = formatBatchSummary({ ...batch, prompt: null, items_with_own_prompt: 4 }, '');
    expect(none).toContain('prompt     none; 4 items use their own prompt\n');
  });

  it('shows a long or multi-line prompt on one row, cut short', () => {
    const long = formatBatchSummary({ ...batch, prompt: `first line\n${'x'.repeat(80)}` }, '');
    expect(long).toContain(`prompt     "first line\\n${'x'.repeat(49)}…"\n`);
  });

  it('leaves the row out of a batch without a prompt where no item has one', () => {
    expect(formatBatchSummary({ ...batch, prompt: null }, '')).not.toContain('prompt');
  });

  it('shows the error of a failed batch and calls an empty batch done', () => {
    const failed = formatBatchSummary(
      {
        ...batch,
        status: 'failed',
        error: 'no items',
        counts: { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
      },
      '',
    );
    expect(failed).toContain('error      no items\n');
    expect(failed).toContain('100% (0/0)');
  });
});

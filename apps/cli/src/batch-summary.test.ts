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

import { describe, expect, it } from 'vitest';
import { batchStatuses, endedBatchStatuses, isEndedBatchStatus } from './batch-statuses.ts';

describe('isEndedBatchStatus', () => {
  it('is true of completed, cancelled and failed only', () => {
    expect(batchStatuses.filter((status) => isEndedBatchStatus(status))).toEqual([
      'completed',
      'cancelled',
      'failed',
    ]);
  });

  it('takes every ended status for a batch status', () => {
    for (const status of endedBatchStatuses) expect(batchStatuses).toContain(status);
    expect(isEndedBatchStatus('succeeded')).toBe(false);
  });
});

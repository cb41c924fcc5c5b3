/**
 * Every status a batch can have. The zod schema and the database's check constraint both read
 * this one list.
 */
export const batchStatuses = [
  'validating',
  'queued',
  'running',
  'completed',
  'cancelling',
  'cancelled',
  'failed',
] as const;
export type BatchStatus = (typeof batchStatuses)[number];

/** The statuses a batch never leaves unless it is retried: none of its items will run. */
export const endedBatchStatuses = ['completed', 'cancelled', 'failed'] as const;
export type EndedBatchStatus = (typeof endedBatchStatuses)[number];

const ended: ReadonlySet<string> = new Set(endedBatchStatuses);

/** Whether a batch with this status is over: its counts will not change by themselves. */
export function isEndedBatchStatus(status: string): status is EndedBatchStatus {
  return ended.has(status);
}

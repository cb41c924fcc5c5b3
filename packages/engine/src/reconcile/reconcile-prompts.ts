import {
  batchesStillValidating,
  type Database,
  failLostPrompt,
  promptProgress,
  requeuePrompt,
  type UnfinishedPrompt,
  unfinishedPrompts,
} from '@llmq/db';
import type { EventLog, PromptQueue } from '@llmq/queue';
import type { Logger } from 'pino';
import { closeEndedLog } from '../prompts/close-ended-log.ts';
import type { ProviderBatchQueue } from '../provider-batches/provider-batch-queue.ts';
import { tendProviderBatches } from '../provider-batches/tend-provider-batches.ts';
import { enqueueBatch } from '../submit/submit-batch.ts';

export interface ReconcileDependencies {
  readonly db: Database;
  readonly queue: PromptQueue;
  readonly events: EventLog;
  readonly logger: Logger;
  /** Provider-mode batches' jobs: each unfinished provider batch keeps its submitter or poller. */
  readonly providerBatches?: ProviderBatchQueue | undefined;
  /**
   * How old a prompt must be before a missing job counts as lost: younger ones may still be
   * between their row's insert and their job's add in a live api process.
   */
  readonly graceMs: number;
  /** Rows read (and jobs looked up) per round trip. */
  readonly pageSize?: number;
}

/** What one pass found and did. */
export interface ReconcileReport {
  /** Unfinished prompts older than the grace period whose jobs were looked up. */
  readonly checked: number;
  /** Queued prompts whose job was missing, added again. */
  readonly requeued: number;
  /** Running prompts whose job vanished, handed back to the queue with that attempt counted. */
  readonly handedBack: number;
  /** Prompts whose job vanished with no attempt left: failed, with the reason. */
  readonly failed: number;
  /** Prompts that ended or were claimed between the read and the fix: left as they are. */
  readonly movedOn: number;
  /** Batches left `validating` (their api died, or Redis was down) whose items were queued. */
  readonly batchesResumed: number;
  /** Provider batches overdue for their next step, whose job was added again. */
  readonly providerBatchesTended: number;
}

/** The error kind of a prompt whose job vanished from Redis (a lost write, a flushed Redis). */
export const lostJobKind = 'JobLost';

/**
 * One pass of the fleet's reconciler. PostgreSQL is the truth: every prompt row that is
 * `queued` or `running` without a live job in Redis gets one again. Adding a job by its prompt's
 * id is idempotent, and a claim only succeeds for a later attempt of a row that has not ended,
 * so a pass that races a worker or an api process can cost a skipped job, never a second run.
 */
export async function reconcilePrompts(deps: ReconcileDependencies): Promise<ReconcileReport> {
  const { db, queue, logger } = deps;
  // Ages are measured on the database's clock, which every process shares (see databaseMoment).
  let batchesResumed = 0;
  for (const batch of await batchesStillValidating(db, deps.graceMs)) {
    if (batch.mode === 'provider' && !deps.providerBatches) continue;
    await enqueueBatch({ db, queue, providerBatches: deps.providerBatches }, batch);
    batchesResumed++;
    logger.warn(
      { batchId: batch.id, total: batch.total },
      'reconciler: queued a batch whose acceptance was interrupted',
    );
  }
  // Provider batches whose poll (or submission) is overdue by the grace period lost their job.
  const providerBatchesTended = deps.providerBatches
    ? await tendProviderBatches(db, deps.providerBatches, deps.graceMs)
    : 0;
  const pageSize = deps.pageSize ?? 1_000;
  const counts = { checked: 0, requeued: 0, handedBack: 0, failed: 0, movedOn: 0 };
  for (const status of ['queued', 'running'] as const) {
    let afterId = '';
    for (;;) {
      const page = await unfinishedPrompts(db, {
        status,
        olderThanMs: deps.graceMs,
        afterId,
        limit: pageSize,
      });
      if (page.length === 0) break;
      afterId = page.at(-1)?.id ?? afterId;
      counts.checked += page.length;
      const presence = await queue.presence(
        page.map((row) => ({ promptId: row.id, model: row.model })),
      );
      const missing = page.filter((row) => presence.get(row.id) !== 'live');
      // Read again after the jobs were looked up: a job that ended between the two reads
      // (BullMQ removes completed jobs) belongs to a row that has moved on too.
      const now = await promptProgress(
        db,
        missing.map((row) => row.id),
      );
      for (const row of missing) {
        const current = now.get(row.id);
        if (current?.status !== row.status || current.attempts !== row.attempts) {
          counts.movedOn++;
          continue;
        }
        counts[await giveJobAgain(deps, row, presence.get(row.id) === 'finished')]++;
      }
      if (page.length < pageSize) break;
    }
  }
  return { ...counts, batchesResumed, providerBatchesTended };
}

async function giveJobAgain(
  deps: ReconcileDependencies,
  row: UnfinishedPrompt,
  finished: boolean,
): Promise<'requeued' | 'handedBack' | 'failed' | 'movedOn'> {
  const { db, queue } = deps;
  const log = deps.logger.child({ promptId: row.id, model: row.model, attempts: row.attempts });
  if (row.attempts >= queue.attempts) {
    const write = await failLostPrompt(db, row.id, row, {
      errorKind: lostJobKind,
      error: `The prompt's job vanished from Redis after its last attempt (${row.attempts} of ${queue.attempts}) began; it was not run again`,
    });
    if (!write.row) return 'movedOn';
    await closeEndedLog(deps.events, write.row, log);
    log.warn('reconciler: a prompt lost its job after its last attempt; it is failed');
    return 'failed';
  }
  if (row.status === 'running') {
    const write = await requeuePrompt(db, row.id, row.attempts, {
      errorKind: lostJobKind,
      error: `Attempt ${row.attempts} lost its job (its worker or Redis lost it); the prompt runs again`,
    });
    // The row moved on since it was read (it ended, or another attempt claimed it).
    if (!write.written) return 'movedOn';
  }
  // A job BullMQ finished while its row did not (a settlement that never reached the row) holds
  // its id: it goes before the prompt's job is added again.
  if (finished) await queue.removeFinished(row.id, row.model);
  await queue.add(
    {
      promptId: row.id,
      model: row.model,
      attemptOffset: row.attempts,
      // The gate then knows whose limits bind the job without reading its row.
      owner: row.owner,
      apiKeyId: row.apiKeyId,
    },
    row.batchId ? 'batch' : 'interactive',
    row.owner,
  );
  const handedBack = row.status === 'running';
  log.warn(
    handedBack
      ? 'reconciler: a running prompt lost its job; handed back to the queue'
      : 'reconciler: a queued prompt had no job; added it again',
  );
  return handedBack ? 'handedBack' : 'requeued';
}

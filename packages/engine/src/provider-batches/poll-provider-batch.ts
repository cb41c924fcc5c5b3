import { advancePollRound, getBatch, getProviderBatch, setProviderBatch } from '@llmq/db';
import { batchState } from '../batches/batch-state.ts';
import { importProviderResults } from './import-provider-results.ts';
import { providerBatchApiOf } from './provider-batch-api-of.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';

/**
 * One round of a provider batch's polling. Only the row's current round acts (`poll_round`):
 * a stale copy of a poll job (re-added by the reconciler, retried after its worker died) does
 * nothing once its round has passed. While the provider batch runs, the round advances by a
 * compare-and-set and the next round's job is added, so one poller remains. Once it has ended,
 * its results are imported (`importing`, which a poller killed midway resumes: the same round's
 * job runs again) and the row ends.
 */
export async function pollProviderBatch(
  deps: ProviderBatchDependencies,
  providerBatchId: string,
  round: number,
): Promise<void> {
  const row = await getProviderBatch(deps.db, providerBatchId);
  if (!row?.providerBatchId || row.pollRound !== round) return;
  if (row.status !== 'in_progress' && row.status !== 'importing') return;
  const log = deps.logger.child({ batchId: row.batchId, providerBatchId: row.id, round });
  const access = await providerBatchApiOf(deps, deps.models.get(row.model));
  const status = await access.api.status(row.providerBatchId, { key: access.key });
  if (status.state === 'in_progress' && (await isCancelling(deps, row.batchId))) {
    // A cancel the provider refused or missed (it was down) is asked again each round.
    try {
      await access.api.cancel(row.providerBatchId, { key: access.key });
    } catch (error) {
      log.warn({ err: error }, 'the provider did not take the cancel; asking again next round');
    }
  }
  if (status.state !== 'ended') {
    const next = new Date(Date.now() + deps.queue.pollMs);
    if (await advancePollRound(deps.db, row.id, round, next)) {
      await deps.queue.poll(row.id, round + 1);
    }
    return;
  }
  await setProviderBatch(deps.db, row.id, ['in_progress'], { status: 'importing' });
  const { imported, unanswered } = await importProviderResults(deps, row, access, status, log);
  await setProviderBatch(deps.db, row.id, ['importing'], {
    status:
      status.unanswered === 'cancelled'
        ? 'cancelled'
        : status.unanswered === 'failed'
          ? 'failed'
          : 'ended',
    error: status.error ?? null,
    ended: true,
  });
  log.info({ imported, unanswered }, 'provider batch imported');
  // The llmq batch's status follows from its items; written back now it may have ended.
  const batch = await getBatch(deps.db, row.batchId);
  if (batch) await batchState(deps.db, batch);
}

async function isCancelling(deps: ProviderBatchDependencies, batchId: string): Promise<boolean> {
  return (await getBatch(deps.db, batchId))?.status === 'cancelling';
}

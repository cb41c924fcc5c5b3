import { cancelPrompt, getPrompt, type OwnerScope, type ResponseRow } from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { closeEndedLog } from './close-ended-log.ts';
import { finalEventOf } from './final-event.ts';

/**
 * Cancel a prompt from any api process: the row ends `cancelled`, a queued job is removed, the
 * event log ends with a `cancelled` error, and the worker running it (anywhere) is told to
 * abort. Cancelling a cancelled prompt again only repeats the Redis half; an ended one is a
 * conflict.
 */
export async function cancelPromptJob(
  services: Pick<PromptServices, 'db' | 'queue' | 'events' | 'control'>,
  id: string,
  owner?: OwnerScope,
): Promise<ResponseRow> {
  const found = await getPrompt(services.db, id, owner);
  if (!found) throw new NotFoundError('prompt', id);
  // A chain's later step is cancelled as its chain: the first step's job runs them all.
  if (found.chainId && found.chainId !== found.id) {
    return cancelPromptJob(services, found.chainId, owner);
  }
  const current = found;
  const cancelled = await cancelPrompt(services.db, id);
  if (cancelled) {
    await services.queue.removeWaiting(id, current.model);
    await services.events.append(id, finalEventOf(cancelled));
    await services.control.publish({ type: 'cancel', promptId: id });
    return cancelled;
  }
  const ended = await getPrompt(services.db, id);
  if (ended?.status !== 'cancelled') {
    throw new ConflictError(
      `Prompt ${id} has already ${ended?.status ?? 'ended'}: there is nothing to cancel`,
    );
  }
  // Cancelled before: repeat the Redis half, so a cancel whose first try could not reach Redis
  // is completed by sending it again (the log refuses a second final event; workers ignore a
  // cancel for a prompt they do not run).
  await services.queue.removeWaiting(id, ended.model);
  await closeEndedLog(services.events, ended);
  await services.control.publish({ type: 'cancel', promptId: id });
  return ended;
}

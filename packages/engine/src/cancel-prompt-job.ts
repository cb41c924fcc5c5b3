import { cancelPrompt, getPrompt, type OwnerScope, type ResponseRow } from '@llmq/db';
import type { PromptServices } from './prompt-services.ts';
import { ConflictError, NotFoundError } from './service-errors.ts';

/**
 * Cancel a prompt from any api process: the row ends `cancelled`, a queued job is removed, the
 * event log ends with a `cancelled` error, and the worker running it (anywhere) is told to
 * abort. Cancelling a cancelled prompt again changes nothing; an ended one is a conflict.
 */
export async function cancelPromptJob(
  services: Pick<PromptServices, 'db' | 'queue' | 'events' | 'control'>,
  id: string,
  owner?: OwnerScope,
): Promise<ResponseRow> {
  const current = await getPrompt(services.db, id, owner);
  if (!current) throw new NotFoundError('prompt', id);
  if (current.status === 'cancelled') return current;
  const cancelled = await cancelPrompt(services.db, id);
  if (!cancelled) {
    const ended = await getPrompt(services.db, id);
    if (ended?.status === 'cancelled') return ended;
    throw new ConflictError(
      `Prompt ${id} has already ${ended?.status ?? 'ended'}: there is nothing to cancel`,
    );
  }
  await services.queue.removeWaiting(id, current.model);
  await services.events.append(id, {
    type: 'error',
    status: 'cancelled',
    error: { kind: 'Cancelled', message: 'The prompt was cancelled' },
  });
  await services.control.publish({ type: 'cancel', promptId: id });
  return cancelled;
}

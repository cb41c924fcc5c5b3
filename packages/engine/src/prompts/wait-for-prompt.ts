import { isEndedStatus } from '@llmq/contracts';
import type { Database } from '@llmq/db';
import { getPrompt, type OwnerScope, type PromptWithAttachments } from '@llmq/db';
import type { EventLog } from '@llmq/queue';

/**
 * The prompt once it has ended, or as it is when `timeoutMs` passes first. Waits on the event
 * log (no polling), checking the row first so an already ended prompt answers at once.
 */
export async function waitForPrompt(
  services: { db: Database; events: EventLog },
  id: string,
  timeoutMs: number,
  owner?: OwnerScope,
): Promise<PromptWithAttachments | undefined> {
  const before = await getPrompt(services.db, id, owner);
  if (!before || isEndedStatus(before.status)) return before;
  const timeout = AbortSignal.timeout(timeoutMs);
  for await (const entry of services.events.follow(id, '0', timeout)) {
    if (entry.event.type === 'done' || entry.event.type === 'error') break;
  }
  return getPrompt(services.db, id, owner);
}

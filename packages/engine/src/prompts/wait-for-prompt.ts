import { isEndedStatus } from '@llmq/contracts';
import type { Database } from '@llmq/db';
import { getPrompt, getPromptDetail, type OwnerScope, type PromptDetail } from '@llmq/db';
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
): Promise<PromptDetail | undefined> {
  const before = await getPrompt(services.db, id, owner);
  if (!before) return undefined;
  if (isEndedStatus(before.status)) return getPromptDetail(services.db, id, owner);
  const timeout = AbortSignal.timeout(timeoutMs);
  for await (const entry of services.events.follow(id, '0', timeout)) {
    if (entry.event.type === 'done' || entry.event.type === 'error') break;
  }
  return getPromptDetail(services.db, id, owner);
}

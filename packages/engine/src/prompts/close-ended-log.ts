import { isEndedStatus } from '@llmq/contracts';
import type { ResponseRow } from '@llmq/db';
import type { EventLog } from '@llmq/queue';
import type { Logger } from 'pino';
import { finalEventOf } from './final-event.ts';

/**
 * End the log of a prompt whose row has ended but whose log has no final event (an attempt
 * stored its answer and died before appending `done`; a cancel that could not reach Redis), so
 * no follower waits forever. The log refuses a second final event, so this never ends it twice.
 */
export async function closeEndedLog(
  events: EventLog,
  prompt: ResponseRow,
  log?: Logger,
): Promise<void> {
  if (!isEndedStatus(prompt.status)) return;
  // An expired log stays expired: streams then replay the row, text included.
  if (!(await events.exists(prompt.id))) return;
  const appended = await events.append(prompt.id, finalEventOf(prompt));
  if (appended) log?.warn({ status: prompt.status }, 'closed the log an earlier attempt left open');
}

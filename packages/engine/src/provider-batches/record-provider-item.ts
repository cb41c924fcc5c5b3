import type { PromptEvent } from '@llmq/contracts';
import type { ResponseRow } from '@llmq/db';
import type { Logger } from 'pino';
import { finalEventOf } from '../prompts/final-event.ts';
import { recordBatchItemEnd } from '../run/record-batch-item-end.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';

/**
 * Append an imported item's events as a real-time run appends them (`status running`, its
 * reasoning and text, then `done` or `error`) in one append, and its end to the batch's item log.
 * The log refuses anything once it has its final event, so importing the same item again (a
 * poller killed mid-import) appends nothing and records no second item end.
 */
export async function recordProviderItem(
  deps: ProviderBatchDependencies,
  row: ResponseRow,
  log: Logger,
): Promise<void> {
  const attempt = Math.max(row.attempts, 1);
  const events: PromptEvent[] = [{ type: 'status', status: 'running', attempt }];
  if (row.status === 'succeeded') {
    if (row.reasoning) events.push({ type: 'reasoning', text: row.reasoning });
    if (row.response) events.push({ type: 'chunk', text: row.response });
  }
  events.push(finalEventOf(row));
  const appended = await deps.events.appendMany(row.id, events, { attempt });
  if (appended) await recordBatchItemEnd(deps, row, row.status, log);
}

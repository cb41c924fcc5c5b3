import type { BatchBody } from '@llmq/contracts';
import { progressBar } from './progress-bar.ts';

/**
 * A batch as a person reads it: status, counts with a bar and a percentage, the times it
 * reached each stage, and the links (absolute, so they can be opened or curled as printed).
 */
export function formatBatchSummary(batch: BatchBody, baseUrl: string): string {
  const { counts } = batch;
  const ended = counts.succeeded + counts.failed + counts.cancelled;
  const percent = counts.total > 0 ? Math.floor((ended / counts.total) * 100) : 100;
  const rows: Array<[string, string | null]> = [
    ['status', batch.status],
    ['model', batch.model],
    ['prompt', promptSummary(batch)],
    [
      'items',
      `${counts.total}: ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.cancelled} cancelled, ${counts.running} running, ${counts.queued} queued`,
    ],
    ['progress', `${progressBar(ended, counts.total)} ${percent}% (${ended}/${counts.total})`],
    ['error', batch.error],
    ['created', readableTime(batch.created_at)],
    ['started', readableTime(batch.started_at)],
    ['completed', readableTime(batch.completed_at)],
    ['cancelled', readableTime(batch.cancelled_at)],
    ['results', `${baseUrl}${batch.links.results}`],
    ['stream', `${baseUrl}${batch.links.stream}`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows
    .filter((row): row is [string, string] => row[1] !== null)
    .map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  return `batch ${batch.id}\n${lines.join('\n')}\n`;
}

/**
 * The batch's prompt, quoted on one line (escapes keep a long or multi-line prompt to one row),
 * and how many items do not use it: an item with its own prompt ignores the batch's, which
 * would otherwise be invisible here (issue 26, item 9).
 */
function promptSummary(batch: BatchBody): string | null {
  const own = batch.items_with_own_prompt;
  const shown = batch.prompt === null ? null : JSON.stringify(shortened(batch.prompt));
  if (own === 0) return shown;
  const mix = own === 1 ? '1 item uses its own prompt' : `${own} items use their own prompt`;
  return shown === null ? `none; ${mix}` : `${shown}; ${mix}`;
}

const longestPromptShown = 60;

function shortened(text: string): string {
  return text.length > longestPromptShown ? `${text.slice(0, longestPromptShown)}…` : text;
}

/** `2026-12-03 16:31:02 UTC`: ISO without the T and the milliseconds. */
function readableTime(iso: string | null): string | null {
  if (iso === null) return null;
  return `${iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '')} UTC`;
}

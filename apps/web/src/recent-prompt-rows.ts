import type { PromptSummaryBody } from '@llmq/contracts';
import { excerpt } from './format.ts';

/** How many prompts the playground shows beside the composer. */
export const recentPromptLimit = 10;

/** One line of the playground's recent prompts. */
export interface RecentPromptRow {
  readonly id: string;
  readonly href: string;
  readonly label: string;
  readonly model: string;
  readonly status: PromptSummaryBody['status'];
  readonly createdAt: string;
  /** The prompt whose answer the playground shows. */
  readonly current: boolean;
}

/** The lines for the newest prompts, the one whose answer is shown marked as current. */
export function recentPromptRows(
  prompts: readonly PromptSummaryBody[],
  shownId: string | undefined,
): RecentPromptRow[] {
  return prompts.slice(0, recentPromptLimit).map((prompt) => ({
    id: prompt.id,
    href: `/prompts/${encodeURIComponent(prompt.id)}`,
    label: excerpt(prompt.prompt, 60),
    model: prompt.model,
    status: prompt.status,
    createdAt: prompt.created_at,
    current: prompt.id === shownId,
  }));
}

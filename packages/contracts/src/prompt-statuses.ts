/**
 * Every status a prompt can have, in the order it passes through them. The zod schema, the
 * database's check constraint and every test of a status read this one list, so a new status
 * is added here or nowhere.
 */
export const promptStatuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type PromptStatus = (typeof promptStatuses)[number];

/** The statuses a prompt never leaves: its answer (or its error) is final. */
export const endedPromptStatuses = ['succeeded', 'failed', 'cancelled'] as const;
export type EndedPromptStatus = (typeof endedPromptStatuses)[number];

/** The statuses of a prompt still waiting for or being given a model's answer. */
export const unfinishedPromptStatuses = ['queued', 'running'] as const;
export type UnfinishedPromptStatus = (typeof unfinishedPromptStatuses)[number];

const ended: ReadonlySet<string> = new Set(endedPromptStatuses);

/** Whether a prompt with this status is over: nothing more will be written to it. */
export function isEndedStatus(status: string): status is EndedPromptStatus {
  return ended.has(status);
}

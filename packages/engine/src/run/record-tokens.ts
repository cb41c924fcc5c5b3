import type { ResponseRow } from '@llmq/db';
import type { Logger } from 'pino';
import type { EngineDependencies } from './engine-dependencies.ts';

/** An answer's tokens count in its key's and owner's minute; a lost count only loosens a limit. */
export async function recordTokens(
  deps: EngineDependencies,
  prompt: ResponseRow,
  usage: { input: number | null; output: number | null },
  log: Logger,
): Promise<void> {
  if (!deps.subjectLimits) return;
  try {
    await deps.subjectLimits.recordTokens(prompt, (usage.input ?? 0) + (usage.output ?? 0));
  } catch (error) {
    log.warn({ err: error }, "could not count the answer's tokens for its limits");
  }
}

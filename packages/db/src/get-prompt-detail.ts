import { type ChainStepRow, chainStepsOf, toolResultsOf } from './chain-steps.ts';
import type { Database } from './database.ts';
import { getPrompt, type OwnerScope, type PromptWithAttachments } from './get-prompt.ts';
import type { ToolResultRow } from './schema.ts';

export interface PromptDetail extends PromptWithAttachments {
  /** The results the prompt carried to its model. */
  readonly toolResults: readonly ToolResultRow[];
  /** For a chain's first step: every step in order (itself first); else undefined. */
  readonly chainSteps: readonly ChainStepRow[] | undefined;
}

/**
 * A prompt as its own page shows it: its attachments, the tool results it carried and, for a
 * chain's first step, the chain's steps. A prompt without tools costs no more reads.
 */
export async function getPromptDetail(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<PromptDetail | undefined> {
  const row = await getPrompt(db, id, owner);
  if (!row) return undefined;
  if (row.tools === null) return { ...row, toolResults: [], chainSteps: undefined };
  const [results, chainSteps] = await Promise.all([
    toolResultsOf(db, [row.id]),
    row.chainId === row.id ? chainStepsOf(db, row.id) : undefined,
  ]);
  return { ...row, toolResults: results.get(row.id) ?? [], chainSteps };
}

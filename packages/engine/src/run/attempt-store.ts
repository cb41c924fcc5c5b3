import {
  type Completion,
  completePrompts,
  type Database,
  markPromptsRunning,
  type PromptResult,
  type PromptWithAttachments,
} from '@llmq/db';
import { MicroBatcher } from './micro-batcher.ts';

/** How a worker claims and completes prompt rows; batched across its concurrent jobs. */
export interface AttemptStore {
  /** The row with its attachments when this attempt now owns it, else undefined. */
  claim(id: string, attempt: number): Promise<PromptWithAttachments | undefined>;
  /** Store the answer; false when the attempt no longer owns the row. */
  complete(id: string, attempt: number, result: PromptResult): Promise<boolean>;
}

export function createAttemptStore(db: Database): AttemptStore {
  const claims = new MicroBatcher<
    { id: string; attempt: number },
    PromptWithAttachments | undefined
  >(async (inputs) => {
    // Two attempts of one prompt in a batch (a run taken over while its first claim waited):
    // only the later may own the row, and each caller gets the row only for its own attempt.
    const latest = new Map<string, number>();
    for (const { id, attempt } of inputs) latest.set(id, Math.max(attempt, latest.get(id) ?? 0));
    const owned = await markPromptsRunning(
      db,
      [...latest].map(([id, attempt]) => ({ id, attempt })),
    );
    return inputs.map(({ id, attempt }) => {
      const row = owned.get(id);
      return row?.attempts === attempt ? row : undefined;
    });
  });
  const completions = new MicroBatcher<Completion, boolean>(async (inputs) => {
    const written = await completePrompts(db, inputs);
    return inputs.map((input) => written.get(input.id) === input.attempt);
  });
  return {
    claim: (id, attempt) => claims.submit({ id, attempt }),
    complete: (id, attempt, result) => completions.submit({ ...result, id, attempt }),
  };
}

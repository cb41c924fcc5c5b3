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
    const owned = await markPromptsRunning(db, inputs);
    return inputs.map(({ id }) => owned.get(id));
  });
  const completions = new MicroBatcher<Completion, boolean>(async (inputs) => {
    const written = await completePrompts(db, inputs);
    return inputs.map((input) => written.has(input.id));
  });
  return {
    claim: (id, attempt) => claims.submit({ id, attempt }),
    complete: (id, attempt, result) => completions.submit({ ...result, id, attempt }),
  };
}

import { Attachment } from '@llmq/core';
import { InvalidRequestError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { requireDefaultModel } from './default-model-of.ts';
import {
  type ChatTurn,
  type SubmitPromptInput,
  type SubmittedPrompt,
  submitPrompt,
} from './submit-prompt.ts';

export interface SubmitChatInput
  extends Omit<SubmitPromptInput, 'conversationId' | 'idempotencyKey' | 'history' | 'largeInline'> {
  /** The turns before this prompt, oldest first. */
  readonly history: readonly ChatTurn[];
}

/**
 * Accept a chat sent the way OpenAI clients send it, history and all: the earlier turns become
 * a new stored conversation (their attachments in the blob store) and the last message an
 * ordinary prompt that continues it, written in one transaction, so the model gets the same
 * chain and llmq can replay it. Everything is checked before any byte is stored.
 */
export async function submitChat(
  services: PromptServices,
  input: SubmitChatInput,
): Promise<SubmittedPrompt> {
  const model = services.models.get(input.model ?? requireDefaultModel(services));
  await services.providerKeys.requireAvailable(model);
  model.parseOptions(input.options ?? {});
  const { maxPromptChars, maxAttachmentsPerPrompt } = services.limits;
  for (const [index, turn] of input.history.entries()) {
    const length = Math.max(turn.prompt.length, turn.response.length);
    if (length > maxPromptChars) {
      throw new InvalidRequestError(
        `Turn ${index + 1} of the history has ${length} characters; the limit is ${maxPromptChars} (LLMQ_MAX_PROMPT_CHARS)`,
      );
    }
    if (turn.attachments.length > maxAttachmentsPerPrompt) {
      throw new InvalidRequestError(
        `Turn ${index + 1} of the history has ${turn.attachments.length} attachments; the limit is ${maxAttachmentsPerPrompt} (LLMQ_MAX_ATTACHMENTS_PER_PROMPT)`,
      );
    }
  }
  // Inline attachments say their type: one the model cannot take is refused before storing,
  // as is any attachment for a model that takes none.
  const all = [...input.history.flatMap((turn) => turn.attachments), ...(input.attachments ?? [])];
  const declared = all.flatMap((each) =>
    'content' in each && each.type !== undefined ? [new Attachment({ type: each.type })] : [],
  );
  if (all.length > 0 && model.attachmentTypes.size === 0) {
    await model.validateAttachments([new Attachment({ type: 'application/octet-stream' })]);
  }
  await model.validateAttachments(declared);

  // Every attachment is learnt in memory (or from a URL's first bytes), checked, and stored
  // only then, with the prompt's own: a refused chat writes no row and no blob.
  return submitPrompt(services, { ...input, largeInline: true });
}

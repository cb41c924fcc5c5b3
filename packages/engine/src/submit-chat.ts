import { Readable } from 'node:stream';
import type { PromptAttachmentInput } from '@llmq/contracts';
import { Attachment, newId } from '@llmq/core';
import type { OwnerScope, PastTurn } from '@llmq/db';
import type { PromptServices } from './prompt-services.ts';
import { resolveAttachments } from './resolve-attachments.ts';
import { InvalidRequestError } from './service-errors.ts';
import { storeUpload } from './store-upload.ts';
import { type SubmitPromptInput, type SubmittedPrompt, submitPrompt } from './submit-prompt.ts';

/** An earlier exchange of a chat sent whole: what the user said and what the model answered. */
export interface ChatTurn {
  readonly prompt: string;
  readonly attachments: readonly PromptAttachmentInput[];
  readonly response: string;
}

export interface SubmitChatInput
  extends Omit<SubmitPromptInput, 'conversationId' | 'idempotencyKey' | 'pastTurns'> {
  /** The turns before this prompt, oldest first. */
  readonly history: readonly ChatTurn[];
}

/**
 * Accept a chat sent the way OpenAI clients send it, history and all: the earlier turns become
 * a new stored conversation (their attachments in the blob store) and the last message an
 * ordinary prompt that continues it, written in one transaction, so the model gets the same
 * chain and llmq can replay it. Everything that can be checked without the bytes is checked
 * before any byte is stored.
 */
export async function submitChat(
  services: PromptServices,
  input: SubmitChatInput,
): Promise<SubmittedPrompt> {
  const model = services.models.get(input.model);
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

  const owner = input.owner ?? null;
  const pastTurns: PastTurn[] = [];
  for (const turn of input.history) {
    const stored = await storeInlineAttachments(services, turn.attachments, input.signal, owner);
    const resolved = await resolveAttachments(services, stored, input.signal, input.owner);
    await model.validateAttachments(resolved.map((each) => each.attachment));
    pastTurns.push({
      id: newId(),
      prompt: turn.prompt,
      attachments: resolved.map((each) => each.row),
      response: turn.response,
    });
  }
  const attachments = await storeInlineAttachments(
    services,
    input.attachments ?? [],
    input.signal,
    owner,
  );
  return submitPrompt(services, { ...input, attachments, pastTurns });
}

/**
 * Inline attachments stored now (up to the attachment limit, not the inline one: chat clients
 * have no other way to send an image) and referred to by id; the others as given.
 */
export async function storeInlineAttachments(
  services: PromptServices,
  inputs: readonly PromptAttachmentInput[],
  signal: AbortSignal | undefined,
  owner: OwnerScope,
): Promise<PromptAttachmentInput[]> {
  const stored: PromptAttachmentInput[] = [];
  for (const input of inputs) {
    if (!('content' in input)) {
      stored.push(input);
      continue;
    }
    const upload = await storeUpload(
      services,
      Readable.from([Buffer.from(input.content, 'base64')]),
      { declaredType: input.type, signal, owner: owner ?? null },
    );
    stored.push({ id: upload.id });
  }
  return stored;
}

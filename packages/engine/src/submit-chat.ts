import { Readable } from 'node:stream';
import type { PromptAttachmentInput } from '@llmq/contracts';
import { newId } from '@llmq/core';
import { discardPastTurns, recordPastTurns } from '@llmq/db';
import type { PromptServices } from './prompt-services.ts';
import { resolveAttachments } from './resolve-attachments.ts';
import { InvalidRequestError } from './service-errors.ts';
import { storeUpload } from './store-upload.ts';
import {
  conversationName,
  type SubmitPromptInput,
  type SubmittedPrompt,
  submitPrompt,
} from './submit-prompt.ts';

/** An earlier exchange of a chat sent whole: what the user said and what the model answered. */
export interface ChatTurn {
  readonly prompt: string;
  readonly attachments: readonly PromptAttachmentInput[];
  readonly response: string;
}

export interface SubmitChatInput
  extends Omit<SubmitPromptInput, 'conversationId' | 'idempotencyKey'> {
  /** The turns before this prompt, oldest first. */
  readonly history: readonly ChatTurn[];
}

/**
 * Accept a chat sent the way OpenAI clients send it, history and all: the earlier turns become
 * a stored conversation (their attachments in the blob store) and the last message an ordinary
 * prompt that continues it, so the model gets the same chain and llmq can replay it.
 * Attachments sent inline are stored up to the attachment limit: a chat client has no other way
 * to send an image.
 */
export async function submitChat(
  services: PromptServices,
  input: SubmitChatInput,
): Promise<SubmittedPrompt> {
  const model = services.models.get(input.model);
  const store = (inputs: readonly PromptAttachmentInput[]) =>
    storeInlineAttachments(services, inputs, input.signal, input.owner ?? null);
  const attachments = await store(input.attachments ?? []);
  if (input.history.length === 0) {
    return submitPrompt(services, { ...input, attachments });
  }
  const { maxPromptChars, maxAttachmentsPerPrompt } = services.limits;
  const turns = [];
  for (const [index, turn] of input.history.entries()) {
    if (turn.prompt.length + turn.response.length > maxPromptChars) {
      throw new InvalidRequestError(
        `Turn ${index + 1} of the history is longer than ${maxPromptChars} characters (LLMQ_MAX_PROMPT_CHARS)`,
      );
    }
    if (turn.attachments.length > maxAttachmentsPerPrompt) {
      throw new InvalidRequestError(
        `Turn ${index + 1} of the history has ${turn.attachments.length} attachments; the limit is ${maxAttachmentsPerPrompt} (LLMQ_MAX_ATTACHMENTS_PER_PROMPT)`,
      );
    }
    const resolved = await resolveAttachments(
      services,
      await store(turn.attachments),
      input.signal,
      input.owner,
    );
    await model.validateAttachments(resolved.map((each) => each.attachment));
    turns.push({
      id: newId(),
      prompt: turn.prompt,
      attachments: resolved.map((each) => each.row),
      response: turn.response,
    });
  }
  // The options are checked before anything is written, as submitPrompt checks them again.
  model.parseOptions(input.options ?? {});
  const conversationId = newId();
  const first = input.history[0] as ChatTurn;
  await recordPastTurns(services.db, {
    conversationId,
    name: conversationName(first.prompt || input.system || ''),
    model: model.modelId,
    system: input.system ?? null,
    owner: input.owner ?? null,
    turns,
  });
  try {
    return await submitPrompt(services, { ...input, attachments, conversationId });
  } catch (error) {
    await discardPastTurns(services.db, conversationId);
    throw error;
  }
}

/**
 * Inline attachments stored now (up to the attachment limit, not the inline one: chat clients
 * have no other way to send an image) and referred to by id; the others as given.
 */
export async function storeInlineAttachments(
  services: PromptServices,
  inputs: readonly PromptAttachmentInput[],
  signal: AbortSignal | undefined,
  owner: string | null,
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
      {
        declaredType: input.type,
        signal,
        owner,
      },
    );
    stored.push({ id: upload.id });
  }
  return stored;
}

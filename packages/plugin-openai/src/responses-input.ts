import {
  type Attachment,
  type Message,
  ModelError,
  messageAttachments,
  messageText,
  messageToolCalls,
  messageToolResults,
} from '@llmq/core';
import type { ResponseInputContent, ResponseInputItem } from 'openai/resources/responses/responses';
import { storedReasoningItems } from './stored-reasoning-items.ts';

export interface ResponsesInput {
  readonly instructions: string | undefined;
  readonly input: ResponseInputItem[];
}

export interface ResponsesInputOptions {
  /**
   * Whether earlier turns' encrypted reasoning goes back: only a reasoning model can read it
   * (OpenAI refuses reasoning items sent to another).
   */
  readonly sendReasoning: boolean;
  /** The model asked: reasoning another model wrote (a fallback's, say) is not sent to it. */
  readonly model?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * A prompt's chain as the Responses API's `instructions` and `input`, mapped as llm's OpenAI
 * plugin maps it: the last system message becomes `instructions`; a user message is its text, or
 * content parts when it has attachments (its text as `input_text` first, images as `input_image`
 * with the URL or a `data:` URL, PDFs as `input_file` with a `data:` URL); an assistant turn is
 * the reasoning items its stored payload kept (encrypted, so the model picks up its own earlier
 * reasoning), then its text, then its calls as `function_call` items; each tool result a
 * `function_call_output` naming the call.
 */
export async function buildResponsesInput(
  messages: readonly Message[],
  { sendReasoning, model, signal }: ResponsesInputOptions,
): Promise<ResponsesInput> {
  let instructions: string | undefined;
  const input: ResponseInputItem[] = [];
  for (const message of messages) {
    const text = messageText(message);
    if (message.role === 'system') {
      if (text) instructions = text;
    } else if (message.role === 'assistant') {
      const calls = messageToolCalls(message);
      // OpenAI refuses a reasoning item that no output item follows.
      if (sendReasoning && (text || calls.length > 0)) {
        input.push(...storedReasoningItems(message.providerData, model));
      }
      if (text) input.push({ role: 'assistant', content: text });
      for (const call of calls) {
        input.push({
          type: 'function_call',
          call_id: call.id,
          name: call.name,
          arguments: JSON.stringify(call.arguments),
        });
      }
    } else if (message.role === 'tool') {
      // A failed tool's output already says so (as llm's chains write it), so only it is sent.
      for (const result of messageToolResults(message)) {
        input.push({
          type: 'function_call_output',
          call_id: result.toolCallId,
          output: result.output,
        });
      }
    } else {
      const attachments = messageAttachments(message);
      if (attachments.length === 0) {
        input.push({ role: 'user', content: text });
        continue;
      }
      const content: ResponseInputContent[] = text ? [{ type: 'input_text', text }] : [];
      for (const attachment of attachments) content.push(await inputPart(attachment, signal));
      input.push({ role: 'user', content });
    }
  }
  return { instructions, input };
}

async function inputPart(
  attachment: Attachment,
  signal: AbortSignal | undefined,
): Promise<ResponseInputContent> {
  const type = await attachment.resolveType(signal);
  if (type === 'application/pdf') {
    return {
      type: 'input_file',
      filename: `${await attachment.id()}.pdf`,
      file_data: `data:application/pdf;base64,${await attachment.base64Content(signal)}`,
    };
  }
  if (type.startsWith('image/')) {
    const url = attachment.url ?? `data:${type};base64,${await attachment.base64Content(signal)}`;
    return { type: 'input_image', image_url: url, detail: 'auto' };
  }
  // The model's attachment types keep anything else out; an earlier turn of another model may not.
  throw new ModelError(`The Responses API takes images and PDFs, not ${type}`, {
    retryable: false,
  });
}

import {
  type Attachment,
  type Message,
  messageAttachments,
  messageText,
  type Prompt,
} from '@llmq/core';

export interface AttachmentDescription {
  readonly type: string;
  readonly id: string;
  readonly size: number;
}

export interface TurnDescription {
  readonly prompt: string;
  readonly attachments: readonly AttachmentDescription[];
  readonly response: string;
}

export interface EchoDescription {
  readonly prompt: string;
  readonly system: string | null;
  readonly attachments: readonly AttachmentDescription[];
  readonly options: Record<string, unknown>;
  readonly previous: readonly TurnDescription[];
}

/** What the echo model received, as the JSON value it streams back. */
export async function describePrompt(
  prompt: Prompt<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<EchoDescription> {
  // The last message is this turn's user message, unless the prompt was empty.
  const last = prompt.messages.at(-1);
  const earlier = last?.role === 'user' ? prompt.messages.slice(0, -1) : prompt.messages;
  return {
    prompt: prompt.prompt,
    system: prompt.system ?? null,
    attachments: await describeAttachments(prompt.attachments, signal),
    options: prompt.options,
    previous: await describeTurns(earlier, signal),
  };
}

async function describeTurns(
  messages: readonly Message[],
  signal: AbortSignal,
): Promise<TurnDescription[]> {
  const turns: TurnDescription[] = [];
  let pending: Message | undefined;
  for (const message of messages) {
    if (message.role === 'user') {
      pending = message;
    } else if (message.role === 'assistant' && pending) {
      turns.push({
        prompt: messageText(pending),
        attachments: await describeAttachments(messageAttachments(pending), signal),
        response: messageText(message),
      });
      pending = undefined;
    }
  }
  return turns;
}

async function describeAttachments(
  attachments: readonly Attachment[],
  signal: AbortSignal,
): Promise<AttachmentDescription[]> {
  const described: AttachmentDescription[] = [];
  for (const attachment of attachments) {
    described.push({
      type: await attachment.resolveType(signal),
      id: await attachment.id(),
      size: (await attachment.contentBytes(signal)).length,
    });
  }
  return described;
}

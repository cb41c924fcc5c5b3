import {
  type Attachment,
  type Message,
  messageAttachments,
  messageText,
  messageToolCalls,
  messageToolResults,
  type Prompt,
  type ToolCall,
  type ToolResult,
} from '@llmq/core';

export interface AttachmentDescription {
  readonly type: string;
  readonly id: string;
  readonly size: number;
}

/** A tool result as llm-echo shows it. */
export interface ToolResultDescription {
  readonly name: string;
  readonly output: string;
  readonly tool_call_id: string;
  readonly exception?: string;
}

/** A tool call as the assistant made it. */
export interface ToolCallDescription {
  readonly id: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/** An earlier turn; the tool keys are there only when the turn had tool results or calls. */
export interface TurnDescription {
  readonly prompt: string;
  readonly attachments: readonly AttachmentDescription[];
  readonly tool_results?: readonly ToolResultDescription[];
  readonly response: string;
  readonly tool_calls?: readonly ToolCallDescription[];
}

export interface EchoDescription {
  readonly prompt: string;
  readonly system: string | null;
  readonly attachments: readonly AttachmentDescription[];
  readonly options: Record<string, unknown>;
  readonly previous: readonly TurnDescription[];
  /** This turn's tool results, present only when it carries some. */
  readonly tool_results?: readonly ToolResultDescription[];
}

/** What the echo model received, as the JSON value it streams back. */
export async function describePrompt(
  prompt: Prompt<Record<string, unknown>>,
  signal: AbortSignal,
): Promise<EchoDescription> {
  // This turn's messages (its tool results, its user message) follow the last answer.
  const lastAnswer = prompt.messages.findLastIndex((message) => message.role === 'assistant');
  const earlier = prompt.messages.slice(0, lastAnswer + 1);
  const description: EchoDescription = {
    prompt: prompt.prompt,
    system: prompt.system ?? null,
    attachments: await describeAttachments(prompt.attachments, signal),
    options: prompt.options,
    previous: await describeTurns(earlier, signal),
  };
  return prompt.toolResults.length > 0
    ? { ...description, tool_results: prompt.toolResults.map(describeToolResult) }
    : description;
}

async function describeTurns(
  messages: readonly Message[],
  signal: AbortSignal,
): Promise<TurnDescription[]> {
  const turns: TurnDescription[] = [];
  // A turn's input is its user message, its tool results, or both.
  let pending: Message[] = [];
  for (const message of messages) {
    if (message.role === 'user' || message.role === 'tool') {
      pending.push(message);
    } else if (message.role === 'assistant' && pending.length > 0) {
      const results = pending.flatMap(messageToolResults);
      const calls = messageToolCalls(message);
      turns.push({
        prompt: pending.map(messageText).join(''),
        attachments: await describeAttachments(pending.flatMap(messageAttachments), signal),
        ...(results.length > 0 ? { tool_results: results.map(describeToolResult) } : {}),
        response: messageText(message),
        ...(calls.length > 0 ? { tool_calls: calls.map(describeToolCall) } : {}),
      });
      pending = [];
    }
  }
  return turns;
}

function describeToolResult(result: ToolResult): ToolResultDescription {
  const described = { name: result.name, output: result.output, tool_call_id: result.toolCallId };
  return result.exception === undefined ? described : { ...described, exception: result.exception };
}

function describeToolCall(call: ToolCall): ToolCallDescription {
  return { id: call.id, name: call.name, arguments: call.arguments };
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

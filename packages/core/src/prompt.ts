import type { Attachment } from './attachment.ts';
import { type Message, systemMessage, toolMessage, userMessage } from './message.ts';
import type { Tool, ToolResult } from './tool.ts';

/** A JSON Schema object, as a prompt's `schema` (llm's `Prompt.schema`). */
export type JsonSchema = { readonly [key: string]: unknown };

export interface PromptInit<Options> {
  readonly prompt?: string | undefined;
  readonly system?: string | undefined;
  readonly attachments?: readonly Attachment[] | undefined;
  readonly options: Options;
  /** The JSON Schema the answer must match, for a model that `supportsSchema`. */
  readonly schema?: JsonSchema | undefined;
  /** The tools the model may call, for a model that `supportsTools`. */
  readonly tools?: readonly Tool[] | undefined;
  /** The results of the tool calls the previous turn made, sent back to the model. */
  readonly toolResults?: readonly ToolResult[] | undefined;
  /** The earlier turns of the conversation as messages; empty for a first turn. */
  readonly history?: readonly Message[] | undefined;
}

/**
 * What a model is asked, like llm's `Prompt`. `messages` is the full input chain for this
 * turn: `[system?] user₁ assistant₁ … userₙ`, earlier attachments included; this turn's tool
 * results come as a `tool` message before its user message, as llm's plugins send them.
 */
export class Prompt<Options = Record<string, unknown>> {
  /** The text; `""` when only attachments or tool results were given. */
  readonly prompt: string;
  readonly system: string | undefined;
  readonly attachments: readonly Attachment[];
  readonly options: Options;
  /** The JSON Schema the answer must match; the plugin asks its provider to enforce it. */
  readonly schema: JsonSchema | undefined;
  readonly tools: readonly Tool[];
  readonly toolResults: readonly ToolResult[];
  readonly messages: readonly Message[];

  constructor(init: PromptInit<Options>) {
    this.prompt = init.prompt ?? '';
    this.system = init.system || undefined;
    this.attachments = [...(init.attachments ?? [])];
    this.options = init.options;
    this.schema = init.schema;
    this.tools = [...(init.tools ?? [])];
    this.toolResults = [...(init.toolResults ?? [])];
    const history = init.history ?? [];
    // As in llm, a system prompt seeds only the first turn; later turns replay the history.
    const messages: Message[] =
      history.length > 0 ? [...history] : this.system ? [systemMessage(this.system)] : [];
    if (this.toolResults.length > 0) messages.push(toolMessage(this.toolResults));
    if (this.prompt || this.attachments.length > 0) {
      messages.push(userMessage(this.prompt, this.attachments));
    }
    this.messages = messages;
  }
}

import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { type ExecuteYield, ModelError } from '@llmq/core';
import type { AnthropicPayload, PayloadBlock } from './anthropic-payload.ts';

type MutableBlock = { type: string; [field: string]: unknown };

/**
 * A streamed answer folded into the message it describes, as the SDK's `MessageStream` does:
 * `message_start` gives the id, model and input usage; each content block starts at its index
 * and grows by its deltas (`text_delta`, `thinking_delta`, `signature_delta`, and
 * `input_json_delta`, whose pieces make a tool call's input once the block stops, however the
 * blocks interleave); `message_delta` gives the stop reason and the final counts, which replace
 * the start's. `add()` says what to yield at once: text, or thinking as reasoning.
 */
export class StreamedMessage {
  #id = '';
  #model = '';
  #usage: Record<string, unknown> = {};
  #stopReason: string | null = null;
  #stopSequence: string | null = null;
  #stopped = false;
  readonly #blocks = new Map<number, MutableBlock>();
  readonly #inputTexts = new Map<number, string>();

  add(event: RawMessageStreamEvent): ExecuteYield | undefined {
    switch (event.type) {
      case 'message_start':
        this.#id = event.message.id;
        this.#model = event.message.model;
        this.#usage = { ...(event.message.usage as unknown as Record<string, unknown>) };
        return undefined;
      case 'content_block_start':
        this.#blocks.set(event.index, { ...(event.content_block as unknown as MutableBlock) });
        if (event.content_block.type === 'tool_use') this.#inputTexts.set(event.index, '');
        return undefined;
      case 'content_block_delta':
        return this.#delta(event.index, event.delta);
      case 'content_block_stop':
        return undefined;
      case 'message_delta':
        this.#stopReason = event.delta.stop_reason ?? this.#stopReason;
        this.#stopSequence = event.delta.stop_sequence ?? this.#stopSequence;
        for (const [key, value] of Object.entries(event.usage)) {
          if (value !== null && value !== undefined) this.#usage[key] = value;
        }
        return undefined;
      case 'message_stop':
        this.#stopped = true;
        return undefined;
      default:
        return undefined;
    }
  }

  #delta(
    index: number,
    delta: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta'],
  ): ExecuteYield | undefined {
    const block = this.#blocks.get(index);
    if (!block) {
      throw new ModelError(
        `Anthropic sent a delta for content block ${index}, which never started`,
        {
          retryable: true,
        },
      );
    }
    switch (delta.type) {
      case 'text_delta':
        block.text = `${block.text ?? ''}${delta.text}`;
        return delta.text || undefined;
      case 'thinking_delta':
        block.thinking = `${block.thinking ?? ''}${delta.thinking}`;
        return delta.thinking ? { type: 'reasoning', chunk: delta.thinking } : undefined;
      case 'signature_delta':
        block.signature = delta.signature;
        return undefined;
      case 'input_json_delta':
        this.#inputTexts.set(index, `${this.#inputTexts.get(index) ?? ''}${delta.partial_json}`);
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * The whole message, once the stream has ended; a stream that stopped before `message_stop`
   * (a dropped connection) is a retryable failure, not a short answer.
   */
  payload(): AnthropicPayload {
    if (!this.#stopped) {
      throw new ModelError('The Anthropic stream ended before message_stop', { retryable: true });
    }
    const content = [...this.#blocks.entries()]
      .sort(([left], [right]) => left - right)
      .map(([index, block]): PayloadBlock => {
        const inputText = this.#inputTexts.get(index);
        return inputText === undefined ? block : { ...block, input: parsedInput(inputText) };
      });
    return {
      id: this.#id,
      model: this.#model,
      role: 'assistant',
      content,
      stop_reason: this.#stopReason,
      stop_sequence: this.#stopSequence,
      usage: this.#usage,
    };
  }
}

/** A streamed tool input: `{}` when none came, the parsed JSON, or the text when it is not JSON. */
function parsedInput(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

import { ModelError, type ToolCall } from '@llmq/core';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import { toolCallFromText } from './tool-call-arguments.ts';

type ToolCallDelta = NonNullable<ChatCompletionChunk.Choice.Delta['tool_calls']>[number];

interface PartialToolCall {
  id: string;
  name: string;
  argumentsText: string;
}

/**
 * Streamed `delta.tool_calls` put together by `index`, as OpenAI sends them: the first delta of
 * an index carries the call's id, type and name, the later ones pieces of its arguments, and the
 * deltas of several parallel calls may interleave. Ids and names are set, never appended (as the
 * openai SDK's own accumulator does), so a server that repeats them in every delta still works.
 */
export class StreamedToolCalls {
  readonly #byIndex = new Map<number, PartialToolCall>();

  add(deltas: readonly ToolCallDelta[] | undefined): void {
    for (const delta of deltas ?? []) {
      let call = this.#byIndex.get(delta.index);
      if (!call) {
        call = { id: '', name: '', argumentsText: '' };
        this.#byIndex.set(delta.index, call);
      }
      if (delta.type !== undefined && delta.type !== 'function') {
        throw new ModelError(`The model made a ${delta.type} tool call; only functions are sent`, {
          retryable: false,
        });
      }
      if (delta.id) call.id = delta.id;
      if (delta.function?.name) call.name = delta.function.name;
      if (delta.function?.arguments) call.argumentsText += delta.function.arguments;
    }
  }

  get size(): number {
    return this.#byIndex.size;
  }

  /** The calls as they were streamed, for the stored payload, in index order. */
  raw(): { index: number; id: string; name: string; arguments: string }[] {
    return this.#ordered().map(([index, call]) => ({
      index,
      id: call.id,
      name: call.name,
      arguments: call.argumentsText,
    }));
  }

  /** The finished calls in index order, their arguments parsed. */
  calls(): ToolCall[] {
    return this.#ordered().map(([index, call]) => {
      if (!call.id || !call.name) {
        throw new ModelError(`The stream's tool call ${index} has no ${call.id ? 'name' : 'id'}`, {
          retryable: false,
        });
      }
      return toolCallFromText(call.id, call.name, call.argumentsText);
    });
  }

  #ordered(): [number, PartialToolCall][] {
    return [...this.#byIndex].sort(([left], [right]) => left - right);
  }
}

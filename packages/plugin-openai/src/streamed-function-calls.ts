import { ModelError, type ToolCall } from '@llmq/core';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { toolCallFromText } from './tool-call-arguments.ts';

interface PartialFunctionCall {
  callId: string;
  name: string;
  argumentsText: string;
}

/**
 * The function calls of a streamed Responses API answer, put together from its events as OpenAI
 * sends them: `response.output_item.added` opens a `function_call` item (its `call_id` and name),
 * `response.function_call_arguments.delta` appends to its arguments by item id, and
 * `response.function_call_arguments.done` and `response.output_item.done` give them whole (which
 * then win). Other events are ignored. Calls come out in output order.
 */
export class StreamedFunctionCalls {
  readonly #byItem = new Map<string, PartialFunctionCall & { outputIndex: number }>();

  add(event: ResponseStreamEvent): void {
    if (event.type === 'response.output_item.added' || event.type === 'response.output_item.done') {
      const { item } = event;
      // Only functions are ever sent as tools, so no other call can come back.
      if (item.type !== 'function_call') return;
      const key = item.id ?? item.call_id;
      const call = this.#byItem.get(key) ?? {
        callId: item.call_id,
        name: item.name,
        argumentsText: '',
        outputIndex: event.output_index,
      };
      call.callId = item.call_id || call.callId;
      call.name = item.name || call.name;
      if (event.type === 'response.output_item.done' || item.arguments) {
        call.argumentsText = item.arguments;
      }
      this.#byItem.set(key, call);
    } else if (event.type === 'response.function_call_arguments.delta') {
      const call = this.#byItem.get(event.item_id);
      if (call) call.argumentsText += event.delta;
    } else if (event.type === 'response.function_call_arguments.done') {
      const call = this.#byItem.get(event.item_id);
      if (call) call.argumentsText = event.arguments;
    }
  }

  /** The finished calls in output order, their arguments parsed (a non-object is final). */
  calls(): ToolCall[] {
    return [...this.#byItem.values()]
      .sort((left, right) => left.outputIndex - right.outputIndex)
      .map((call) => {
        if (!call.callId || !call.name) {
          throw new ModelError(
            `The stream's function call has no ${call.callId ? 'name' : 'call_id'}`,
            { retryable: false },
          );
        }
        return toolCallFromText(call.callId, call.name, call.argumentsText);
      });
  }
}

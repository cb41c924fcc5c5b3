import type { PromptEvent, ToolCallBody } from '@llmq/contracts';
import { outputItemId } from './response-ids.ts';
import {
  functionCallItem,
  messageItem,
  outputTextPart,
  type ResponseProgress,
  type ResponseRowFields,
  reasoningItem,
  responseObject,
} from './response-object.ts';

/** One Responses streaming event, numbered. */
export interface ResponseEvent {
  readonly type: string;
  readonly sequence_number: number;
  readonly [field: string]: unknown;
}

interface OpenItem {
  readonly kind: 'message' | 'reasoning';
  readonly index: number;
  readonly id: string;
  text: string;
}

/**
 * Turns a prompt's event log, entry by entry from its start, into Responses streaming events
 * numbered from 0. The events are a function of the log alone, so a stream opened again (or
 * resumed with `starting_after`) numbers every event as the first one did.
 *
 * Each log entry maps as follows: the first entry is preceded by `response.created` (status
 * `queued`: llmq queues every prompt), the first `running` status is `response.in_progress`,
 * `reasoning` text a reasoning item's summary deltas, `chunk` text an `output_text` message's
 * deltas (each kind of item closing the other), `done` the client's calls as `function_call`
 * items then `response.completed`, `error` `response.failed` (its response `cancelled` for a
 * cancelled prompt). A `restart` before any output item is invisible; after one, the stream cannot
 * take back what it sent and ends with an `error` event (`code: "restarted"`): the whole answer
 * is at `GET /responses/{id}` once it ends.
 */
export class ResponseEvents {
  readonly #row: ResponseRowFields;
  #sequence = 0;
  #created = false;
  #inProgress = false;
  #ended = false;
  readonly #output: Record<string, unknown>[] = [];
  #open: OpenItem | undefined;
  #calls: ToolCallBody[] = [];
  #messages = 0;

  constructor(row: ResponseRowFields) {
    this.#row = row;
  }

  /** Whether the stream has ended (a final event, or an `error` after a restart). */
  get ended(): boolean {
    return this.#ended;
  }

  /** The events one log entry makes, in order. */
  next(event: PromptEvent): ResponseEvent[] {
    if (this.#ended) return [];
    const events: ResponseEvent[] = [];
    const emit = (type: string, fields: Record<string, unknown>) => {
      events.push({ type, sequence_number: this.#sequence++, ...fields });
    };
    if (!this.#created) {
      this.#created = true;
      emit('response.created', { response: this.#response({ status: 'queued', output: [] }) });
    }
    const startProgress = () => {
      if (this.#inProgress) return;
      this.#inProgress = true;
      emit('response.in_progress', {
        response: this.#response({ status: 'in_progress', output: [] }),
      });
    };
    switch (event.type) {
      case 'status':
        if (event.status === 'running') startProgress();
        break;
      case 'reasoning':
      case 'chunk':
        if (!event.text) break;
        startProgress();
        this.#write(event.type === 'chunk' ? 'message' : 'reasoning', event.text, emit);
        break;
      case 'tool_call':
        this.#calls.push(event.call);
        break;
      case 'tool_result':
        break;
      case 'restart':
        this.#calls = [];
        if (this.#output.length === 0 && this.#open === undefined) break;
        this.#ended = true;
        emit('error', {
          code: 'restarted',
          message: `The model failed after it began to answer and llmq is running it again (attempt ${event.attempt}); this stream cannot take back what it sent. Read the whole response with GET /responses/{id} once it has ended`,
          param: null,
        });
        break;
      case 'done': {
        startProgress();
        this.#close(emit);
        const calls = event.tool_calls ?? (event.finish_reason === 'tool_calls' ? this.#calls : []);
        if (this.#messages === 0 && calls.length === 0) {
          // An empty answer is still a message, as a retrieved response shows it.
          this.#write('message', '', emit);
          this.#close(emit);
        }
        for (const call of calls) this.#call(call, emit);
        this.#ended = true;
        emit('response.completed', {
          response: this.#response({
            status: 'completed',
            output: this.#output,
            usage: event.usage,
          }),
        });
        break;
      }
      case 'error': {
        this.#close(emit);
        this.#ended = true;
        const cancelled = event.status === 'cancelled';
        emit('response.failed', {
          response: this.#response({
            status: cancelled ? 'cancelled' : 'failed',
            output: this.#output,
            error: cancelled
              ? null
              : { code: 'server_error', message: `${event.error.kind}: ${event.error.message}` },
          }),
        });
        break;
      }
    }
    return events;
  }

  #response(progress: ResponseProgress) {
    return responseObject(this.#row, { ...progress, output: [...progress.output] });
  }

  /** Text into the open item of its kind, opening one (and closing the other kind) first. */
  #write(kind: OpenItem['kind'], text: string, emit: Emit): void {
    if (this.#open?.kind !== kind) {
      this.#close(emit);
      const index = this.#output.length;
      const id = outputItemId(kind === 'message' ? 'msg' : 'rs', this.#row.id, index);
      this.#open = { kind, index, id, text: '' };
      // The slot is taken now, so items added later get the next indexes.
      this.#output.push({});
      if (kind === 'message') {
        this.#messages += 1;
        emit('response.output_item.added', {
          output_index: index,
          item: messageItem(id, undefined, 'in_progress'),
        });
        emit('response.content_part.added', {
          item_id: id,
          output_index: index,
          content_index: 0,
          part: outputTextPart(''),
        });
      } else {
        emit('response.output_item.added', {
          output_index: index,
          item: reasoningItem(id, '', 'in_progress'),
        });
        emit('response.reasoning_summary_part.added', {
          item_id: id,
          output_index: index,
          summary_index: 0,
          part: { type: 'summary_text', text: '' },
        });
      }
    }
    const open = this.#open as OpenItem;
    open.text += text;
    if (!text) return;
    if (kind === 'message') {
      emit('response.output_text.delta', {
        item_id: open.id,
        output_index: open.index,
        content_index: 0,
        delta: text,
        logprobs: [],
      });
    } else {
      emit('response.reasoning_summary_text.delta', {
        item_id: open.id,
        output_index: open.index,
        summary_index: 0,
        delta: text,
      });
    }
  }

  #close(emit: Emit): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    const { id, index, text } = open;
    if (open.kind === 'message') {
      emit('response.output_text.done', {
        item_id: id,
        output_index: index,
        content_index: 0,
        text,
        logprobs: [],
      });
      emit('response.content_part.done', {
        item_id: id,
        output_index: index,
        content_index: 0,
        part: outputTextPart(text),
      });
      this.#output[index] = messageItem(id, text, 'completed');
    } else {
      emit('response.reasoning_summary_text.done', {
        item_id: id,
        output_index: index,
        summary_index: 0,
        text,
      });
      emit('response.reasoning_summary_part.done', {
        item_id: id,
        output_index: index,
        summary_index: 0,
        part: { type: 'summary_text', text },
      });
      this.#output[index] = reasoningItem(id, text, 'completed');
    }
    emit('response.output_item.done', { output_index: index, item: this.#output[index] });
  }

  /** A call for the client: announced, its arguments in one piece, done. */
  #call(call: ToolCallBody, emit: Emit): void {
    const index = this.#output.length;
    const id = outputItemId('fc', this.#row.id, index);
    const argumentText = JSON.stringify(call.arguments);
    this.#output.push(functionCallItem(id, call, argumentText, 'completed'));
    emit('response.output_item.added', {
      output_index: index,
      item: functionCallItem(id, call, '', 'in_progress'),
    });
    emit('response.function_call_arguments.delta', {
      item_id: id,
      output_index: index,
      delta: argumentText,
    });
    emit('response.function_call_arguments.done', {
      item_id: id,
      output_index: index,
      name: call.name,
      arguments: argumentText,
    });
    emit('response.output_item.done', { output_index: index, item: this.#output[index] });
  }
}

type Emit = (type: string, fields: Record<string, unknown>) => void;

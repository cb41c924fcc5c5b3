import type { ToolCall } from './tool.ts';

/** A piece of the answer's text or of the reasoning shown before it. */
export interface ChunkEvent {
  readonly type: 'text' | 'reasoning';
  readonly chunk: string;
}

/** A tool the model asked to call, like llm's `response.add_tool_call()`. */
export interface ToolCallEvent {
  readonly type: 'tool_call';
  readonly call: ToolCall;
}

/** A typed piece of a streamed answer; plain strings yielded by `execute()` are text events. */
export type StreamEvent = ChunkEvent | ToolCallEvent;

/** What a model's `execute()` may yield. */
export type ExecuteYield = string | StreamEvent;

export function toStreamEvent(item: ExecuteYield): StreamEvent {
  return typeof item === 'string' ? { type: 'text', chunk: item } : item;
}

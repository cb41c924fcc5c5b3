/** A typed piece of a streamed answer; plain strings yielded by `execute()` are text events. */
export interface StreamEvent {
  readonly type: 'text' | 'reasoning';
  readonly chunk: string;
}

/** What a model's `execute()` may yield. */
export type ExecuteYield = string | StreamEvent;

export function toStreamEvent(item: ExecuteYield): StreamEvent {
  return typeof item === 'string' ? { type: 'text', chunk: item } : item;
}

import type { PromptEvent } from '@llmq/contracts';
import type { ChainEnd } from '@llmq/db';

type DoneEvent = Extract<PromptEvent, { type: 'done' }>;

/** The `done` of a chain that succeeded, from how it ended (and its data, with a schema). */
export function chainDoneEvent(end: ChainEnd, data?: unknown): DoneEvent {
  return {
    type: 'done',
    status: 'succeeded',
    usage: { input: end.usage.input, output: end.usage.output, details: null },
    duration_ms: end.duration_ms,
    ...(data === undefined ? {} : { data }),
    finish_reason: end.finish_reason,
    ...(end.tool_calls.length > 0 ? { tool_calls: [...end.tool_calls] } : {}),
    steps: end.steps,
  };
}

import { z } from 'zod';
import { unfinishedPromptStatuses } from './prompt-statuses.ts';
import { toolCallSchema, toolResultSchema } from './tools.ts';

export const usageSchema = z
  .object({
    input: z.int().nullable(),
    output: z.int().nullable(),
    details: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'Usage', description: 'Token usage as the model reported it.' });
export type UsageBody = z.infer<typeof usageSchema>;

export const errorInfoSchema = z
  .object({
    kind: z.string().meta({ description: 'The error class, e.g. ModelError or Cancelled.' }),
    message: z.string(),
  })
  .meta({ id: 'ErrorInfo' });
export type ErrorInfo = z.infer<typeof errorInfoSchema>;

export const statusEventSchema = z.object({
  type: z.literal('status'),
  status: z.enum(unfinishedPromptStatuses),
  attempt: z.int().min(0),
});

export const chunkEventSchema = z.object({ type: z.literal('chunk'), text: z.string() });

/** The model's reasoning as it streams, apart from the answer's text. */
export const reasoningEventSchema = z.object({ type: z.literal('reasoning'), text: z.string() });

/** A tool the model asked to call, at the step (model call) of the chain that asked. */
export const toolCallEventSchema = z.object({
  type: z.literal('tool_call'),
  step: z.int().min(1),
  call: toolCallSchema,
});

/** A tool's result, stored, before the next step's model call. */
export const toolResultEventSchema = z.object({
  type: z.literal('tool_result'),
  step: z.int().min(1),
  result: toolResultSchema,
});

/** A new attempt starts: followers discard the text of the attempt before. */
export const restartEventSchema = z.object({ type: z.literal('restart'), attempt: z.int().min(1) });

export const doneEventSchema = z.object({
  type: z.literal('done'),
  status: z.literal('succeeded'),
  usage: usageSchema,
  duration_ms: z.int().min(0),
  data: z.unknown().optional().meta({
    description: 'The answer parsed as JSON, for a prompt with a schema (it matched).',
  }),
  finish_reason: z.enum(['stop', 'tool_calls']).optional().meta({
    description: 'tool_calls when it ended with calls for the client to answer.',
  }),
  tool_calls: z.array(toolCallSchema).optional().meta({
    description: 'The calls the client must answer (tool_results in the next turn).',
  }),
  steps: z.int().min(1).optional().meta({
    description: 'How many model calls the chain made, for a prompt with server tools.',
  }),
});

export const errorEventSchema = z.object({
  type: z.literal('error'),
  status: z.enum(['failed', 'cancelled']),
  error: errorInfoSchema,
});

/** What a prompt's event log holds and its SSE stream sends, in order. */
export const promptEventSchema = z.discriminatedUnion('type', [
  statusEventSchema,
  chunkEventSchema,
  reasoningEventSchema,
  toolCallEventSchema,
  toolResultEventSchema,
  restartEventSchema,
  doneEventSchema,
  errorEventSchema,
]);
export type PromptEvent = z.infer<typeof promptEventSchema>;
export type PromptEventType = PromptEvent['type'];

/** `done` and `error` end a prompt's log: nothing follows them. */
export function isFinalEvent(event: PromptEvent): boolean {
  return event.type === 'done' || event.type === 'error';
}

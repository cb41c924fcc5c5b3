import { z } from 'zod';
import { attachmentIdSchema, attachmentSchema } from './attachments.ts';
import { resourceIdSchema } from './ids.ts';
import { withoutNul } from './no-nul.ts';
import { errorInfoSchema, usageSchema } from './prompt-events.ts';
import { promptStatuses } from './prompt-statuses.ts';
import { schemaIdSchema, schemaInputSchema, schemaMultiSchema } from './stored-schemas.ts';
import {
  chainSchema,
  maxChainLimit,
  promptToolInputSchema,
  promptToolSchema,
  toolCallSchema,
  toolResultInputSchema,
  toolResultSchema,
} from './tools.ts';
import { webhookUrlSchema } from './webhooks.ts';

export const promptStatusSchema = z.enum(promptStatuses);
export type PromptStatusBody = z.infer<typeof promptStatusSchema>;

const mimeType = z
  .string()
  .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a MIME type such as image/png')
  .optional();

/** An attachment of a new prompt: an uploaded one by id, a URL, or small bytes inline. */
export const promptAttachmentInputSchema = z
  .union([
    z.strictObject({ id: attachmentIdSchema }),
    z.strictObject({ url: z.url({ protocol: /^https?$/ }), type: mimeType }),
    z.strictObject({
      content: z.base64().meta({ description: 'The bytes, base64; for small files only.' }),
      type: mimeType,
    }),
  ])
  .meta({
    id: 'PromptAttachmentInput',
    description: 'Give exactly one of id (uploaded before), url or content (base64).',
  });
export type PromptAttachmentInput = z.infer<typeof promptAttachmentInputSchema>;

export const createPromptSchema = withoutNul(
  z.strictObject({
    model: z.string().min(1).optional().meta({
      description:
        'A model id or alias (GET /v1/models). Omitted: the conversation’s model when continuing one, else the server’s default (`default: true` in GET /v1/models).',
    }),
    prompt: z.string().optional(),
    system: z.string().optional(),
    attachments: z.array(promptAttachmentInputSchema).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    schema: schemaInputSchema.optional(),
    schema_multi: schemaMultiSchema,
    conversation_id: z.string().min(1).optional().meta({
      description: 'Continue this conversation: every earlier turn is replayed to the model.',
    }),
    tools: z.array(promptToolInputSchema).max(128).optional().meta({
      description:
        'Tools the model may call. Server tools run in the workers as a durable chain; client tools end the prompt with their calls (finish_reason tool_calls).',
    }),
    tool_results: z.array(toolResultInputSchema).max(128).optional().meta({
      description:
        'Answers to the client-tool calls of the conversation’s last turn (give conversation_id).',
    }),
    chain_limit: z.int().min(1).max(maxChainLimit).optional().meta({
      description: 'How many model calls a chain of server tools may make (default 5).',
    }),
    webhook_url: webhookUrlSchema.optional(),
  }),
).meta({ id: 'CreatePrompt' });
export type CreatePromptBody = z.infer<typeof createPromptSchema>;

export const promptLinksSchema = z.object({ self: z.string(), stream: z.string() });

export const promptAcceptedSchema = z
  .object({
    id: z.string(),
    status: promptStatusSchema,
    conversation_id: z.string().nullable(),
    links: promptLinksSchema,
  })
  .meta({ id: 'PromptAccepted' });
export type PromptAccepted = z.infer<typeof promptAcceptedSchema>;

export const promptSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    resolved_model: z.string().nullable(),
    fallback_reason: z.string().nullable().meta({
      description:
        'Why a fallback model (resolved_model) answered instead of model: its failures, or a prompt too long for its context.',
    }),
    status: promptStatusSchema,
    prompt: z.string(),
    system: z.string().nullable(),
    options: z.record(z.string(), z.unknown()),
    conversation_id: z.string().nullable(),
    batch_id: z.string().nullable(),
    custom_id: z.string().nullable(),
    text: z.string().nullable().meta({ description: 'The answer, once succeeded.' }),
    schema_id: schemaIdSchema.nullable().meta({ description: 'The schema the answer must match.' }),
    data: z.unknown().meta({
      description:
        'The answer parsed as JSON and validated, for a prompt with a schema; else null.',
    }),
    reasoning: z
      .string()
      .nullable()
      .meta({ description: 'The reasoning the model showed, when it showed any.' }),
    usage: usageSchema.nullable(),
    cost_usd: z.number().nullable().meta({
      description:
        'What the answers to this model call cost in USD at the answering model’s prices (LLMQ_MODEL_PRICES; provider batches at batch prices), an answer its schema refused included; null while none was priced (the model has no prices). A chain’s first step (the prompt the client made) carries the whole chain’s cost, its later steps included; each later step its own.',
    }),
    tools: z.array(promptToolSchema).nullable().meta({ description: 'The tools it offered.' }),
    tool_calls: z
      .array(toolCallSchema)
      .nullable()
      .meta({ description: 'The tools this model call asked for.' }),
    tool_results: z
      .array(toolResultSchema)
      .meta({ description: 'The results this prompt carried to the model.' }),
    finish_reason: z.enum(['stop', 'tool_calls']).nullable().meta({
      description:
        'Once succeeded: tool_calls when it ended with calls for the client to answer, else stop. A chain’s first step says how the chain ended; a later step, how its own model call did.',
    }),
    chain: chainSchema.nullable(),
    duration_ms: z.int().nullable(),
    datetime_utc: z.iso.datetime().nullable(),
    attempts: z.int(),
    error: errorInfoSchema.nullable(),
    attachments: z.array(attachmentSchema),
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    completed_at: z.iso.datetime().nullable(),
    links: promptLinksSchema,
  })
  .meta({ id: 'Prompt' });
export type PromptBody = z.infer<typeof promptSchema>;

export const promptSummarySchema = promptSchema
  .omit({ attachments: true, tool_results: true })
  .meta({ id: 'PromptSummary' });
export type PromptSummaryBody = z.infer<typeof promptSummarySchema>;

export const listPromptsQuerySchema = withoutNul(
  z.strictObject({
    q: z
      .string()
      .min(1)
      .max(500)
      .optional()
      .meta({ description: 'Words to find in prompt or answer.' }),
    model: z.string().optional(),
    status: promptStatusSchema.optional(),
    conversation_id: z.string().optional(),
    batch_id: z.string().optional(),
    schema: schemaIdSchema.optional().meta({ description: 'Only prompts with this schema.' }),
    created_after: z.iso.datetime({ offset: true }).optional(),
    created_before: z.iso.datetime({ offset: true }).optional(),
    cursor: resourceIdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(500).optional(),
  }),
);

export const promptPageSchema = z
  .object({ data: z.array(promptSummarySchema), next_cursor: z.string().nullable() })
  .meta({ id: 'PromptPage' });

export const promptPathSchema = z.object({ id: resourceIdSchema });

export const createPromptQuerySchema = z.strictObject({
  wait: z.enum(['true', 'false']).optional().meta({
    description: 'Answer with the finished prompt (up to wait_seconds), else 202 as usual.',
  }),
  wait_seconds: z.coerce.number().int().min(1).max(600).optional(),
});

export const streamQuerySchema = z.strictObject({
  after: z
    .string()
    .optional()
    .meta({ description: 'Resume after this event id (as Last-Event-ID).' }),
  token: z
    .string()
    .optional()
    .meta({ description: 'A stream token (POST …/token), for EventSource.' }),
});

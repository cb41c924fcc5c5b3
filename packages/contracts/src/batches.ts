import { z } from 'zod';
import { attachmentIdSchema } from './attachments.ts';
import { batchStatuses } from './batch-statuses.ts';
import { resourceIdSchema } from './ids.ts';
import { withoutNul } from './no-nul.ts';
import { errorInfoSchema, usageSchema } from './prompt-events.ts';
import { promptStatusSchema } from './prompts.ts';
import { schemaIdSchema, schemaInputSchema, schemaMultiSchema } from './stored-schemas.ts';
import { webhookUrlSchema } from './webhooks.ts';

export const batchStatusSchema = z.enum(batchStatuses);
export type BatchStatusBody = z.infer<typeof batchStatusSchema>;

/** One item of a batch: its own prompt, attachments (by id) and options over the template's. */
export const batchItemSchema = withoutNul(
  z.strictObject({
    custom_id: z.string().min(1).max(200).optional(),
    prompt: z.string().optional(),
    system: z
      .string()
      .optional()
      .meta({ description: 'This item’s system prompt, over the batch’s.' }),
    attachments: z
      .array(z.strictObject({ id: attachmentIdSchema }))
      .optional()
      .meta({ description: 'Uploaded attachments by id (POST /v1/attachments first).' }),
    options: z.record(z.string(), z.unknown()).optional(),
    schema: schemaInputSchema
      .optional()
      .meta({ description: 'This item’s schema, over the batch’s (same forms as the batch’s).' }),
  }),
).meta({ id: 'BatchItem' });
export type BatchItemBody = z.infer<typeof batchItemSchema>;

export const batchTemplateSchema = z.strictObject({
  model: z.string().min(1).optional().meta({
    description: 'A model id or alias; omitted, the server’s default (GET /v1/models).',
  }),
  prompt: z.string().optional().meta({
    description:
      'The prompt of items that give none: an item with its own `prompt` uses that one and not this (the batch’s `items_with_own_prompt` counts them).',
  }),
  system: z.string().optional(),
  options: z.record(z.string(), z.unknown()).optional().meta({
    description: 'Options of every item; an item’s own options override them.',
  }),
  schema: schemaInputSchema.optional(),
  schema_multi: schemaMultiSchema,
  mode: z.enum(['realtime', 'provider', 'auto']).optional().meta({
    description:
      'How the items run: `realtime` (default) as jobs; `provider` through the model’s provider batch API (OpenAI’s Batch API: half the price, answered within a day; 422 for a model without one); `auto`: provider when the model has one.',
  }),
  webhook_url: webhookUrlSchema.optional(),
});

export const createBatchSchema = withoutNul(
  batchTemplateSchema.extend({ items: z.array(z.unknown()).min(1) }),
).meta({ id: 'CreateBatch' });
export type CreateBatchBody = z.infer<typeof createBatchSchema>;

export const batchCountsSchema = z
  .object({
    total: z.int(),
    queued: z.int(),
    running: z.int(),
    succeeded: z.int(),
    failed: z.int(),
    cancelled: z.int(),
  })
  .meta({ id: 'BatchCounts', description: 'Items by status; the statuses always sum to total.' });
export type BatchCountsBody = z.infer<typeof batchCountsSchema>;

export const batchSchema = z
  .object({
    id: z.string(),
    model: z.string(),
    status: batchStatusSchema,
    counts: batchCountsSchema,
    prompt: z.string().nullable().meta({
      description: 'The prompt of items that gave none; see items_with_own_prompt.',
    }),
    items_with_own_prompt: z.int().meta({
      description:
        'How many items gave their own prompt, for which the batch’s `prompt` was not used.',
    }),
    system: z.string().nullable(),
    options: z.record(z.string(), z.unknown()),
    schema_id: schemaIdSchema.nullable(),
    mode: z.enum(['realtime', 'provider']).meta({
      description:
        'How the items run: realtime (each a job) or provider (through the provider’s batch API, at its batch price).',
    }),
    cost: z
      .object({
        currency: z.literal('USD'),
        actual: z.number(),
        at_realtime_prices: z.number(),
        saved: z.number(),
      })
      .nullable()
      .meta({
        description:
          'What the answered items cost at the model’s prices (LLMQ_MODEL_PRICES), what they would have cost in real time, and the difference; null without prices, and in lists and the answer to a create (read the batch for it). Answers from a fallback model are counted at the batch model’s prices.',
      }),
    error: z.string().nullable(),
    created_at: z.iso.datetime(),
    started_at: z.iso.datetime().nullable(),
    completed_at: z.iso.datetime().nullable(),
    cancelled_at: z.iso.datetime().nullable(),
    links: z.object({ self: z.string(), stream: z.string(), results: z.string() }),
  })
  .meta({ id: 'Batch' });
export type BatchBody = z.infer<typeof batchSchema>;

export const batchPageSchema = z
  .object({ data: z.array(batchSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'BatchPage' });

/** One line of a batch's results (JSONL), in item order. */
export const batchResultSchema = z
  .object({
    index: z.int(),
    custom_id: z.string().nullable(),
    prompt_id: z.string(),
    status: promptStatusSchema,
    text: z.string().nullable(),
    data: z.unknown().meta({ description: 'The answer as JSON, for an item with a schema.' }),
    usage: usageSchema.nullable(),
    error: errorInfoSchema.nullable(),
  })
  .meta({ id: 'BatchResult' });
export type BatchResultBody = z.infer<typeof batchResultSchema>;

/** An item's end, in a batch's event stream with `?items=true`. */
export const batchItemEventSchema = z.object({
  type: z.literal('item'),
  index: z.int(),
  custom_id: z.string().nullable(),
  prompt_id: z.string(),
  status: promptStatusSchema,
});
export type BatchItemEvent = z.infer<typeof batchItemEventSchema>;

export const batchProgressEventSchema = z.object({
  type: z.enum(['progress', 'done']),
  status: batchStatusSchema,
  counts: batchCountsSchema,
});
export type BatchProgressEvent = z.infer<typeof batchProgressEventSchema>;

export const batchPathSchema = z.object({ id: resourceIdSchema });

export const batchResultsQuerySchema = z.strictObject({
  status: promptStatusSchema
    .optional()
    .meta({ description: 'Only items that ended so (e.g. failed).' }),
});

export const batchStreamQuerySchema = z.strictObject({
  items: z.enum(['true', 'false']).optional().meta({ description: 'Also send each item’s end.' }),
  after: z.string().optional(),
  token: z
    .string()
    .optional()
    .meta({ description: 'A stream token (POST …/token), for EventSource.' }),
});

export const listBatchesQuerySchema = z.strictObject({
  cursor: resourceIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

import {
  type BatchItemBody,
  batchItemSchema,
  type SchemaInput,
  schemaLimits,
} from '@llmq/contracts';
import {
  type AsyncModel,
  Attachment,
  type FailureTraits,
  type JsonSchema,
  LlmqError,
  newId,
  OptionsError,
} from '@llmq/core';
import {
  type AttachmentRow,
  type BatchRow,
  batchItemIds,
  createBatch,
  getAttachments,
  type OwnerScope,
  setBatchStatus,
  touchAttachments,
  visibleAttachmentIds,
} from '@llmq/db';
import { InvalidRequestError, PayloadTooLargeError } from '../failures/service-errors.ts';
import { ProviderBatchesNotRunningError } from '../provider-batches/provider-batch-errors.ts';
import type { ResolvedSchema } from '../schemas/resolve-schema.ts';
import { InvalidSchemaError, UnknownSchemaError } from '../schemas/schema-errors.ts';
import { requireSchemaSupport, schemaForModel } from '../schemas/schema-for-model.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { requireDefaultModel } from './default-model-of.ts';
import { type InlineAttachment, storeInlineAttachment } from './inline-attachment.ts';

export interface SubmitBatchInput {
  /** A model id or alias; omitted, the server's default. */
  readonly model?: string | undefined;
  readonly prompt?: string | undefined;
  readonly system?: string | undefined;
  readonly options?: Record<string, unknown> | undefined;
  /** The schema of every item without its own (the forms `submitPrompt` takes). */
  readonly schema?: SchemaInput | JsonSchema | undefined;
  /** Wrap the batch's schema as `{items: [<schema>, …]}`; items' own schemas are used as given. */
  readonly schemaMulti?: boolean | undefined;
  /** The items as given (validated here, one by one). */
  readonly items: readonly unknown[];
  /** How an item is named in errors: `items[3]`, or `line 37` of a JSONL file. */
  readonly itemLabel?: (index: number) => string;
  readonly owner?: OwnerScope;
  /** The owner key that made it: its items' spend and limits are the key's. */
  readonly apiKeyId?: string | undefined;
  /** Where its end is delivered, already checked (the request's, else its key's). */
  readonly webhookUrl?: string | undefined;
  /** How long after the batch's end the facade serves its output files (`output_expires_after`). */
  readonly outputExpiresAfterMs?: number | undefined;
  readonly metadata?: Record<string, string> | undefined;
  readonly inputFileId?: string | undefined;
  /** The facade endpoint the batch's lines were requests to. */
  readonly endpoint?: string | undefined;
  /**
   * Bytes sent inline (the OpenAI facade's batch lines), by the id items name them with: typed
   * in memory, checked with the rest, and stored only once every item is accepted.
   */
  readonly inlineAttachments?: ReadonlyMap<string, InlineAttachment> | undefined;
  /**
   * `realtime` (default): each item a job. `provider`: the items go to the model's provider batch
   * API (refused before anything is created when it has none). `auto`: provider when it has one.
   */
  readonly mode?: 'realtime' | 'provider' | 'auto' | undefined;
}

type ItemAttachment = Pick<AttachmentRow, 'id' | 'type' | 'size' | 'storageKey' | 'url'>;

export interface ItemProblem {
  readonly path: string;
  readonly message: string;
}

/** Items that cannot be run; nothing was created. 422, naming each item. */
export class BatchItemsError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-batch-items',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'BatchItemsError';
  readonly problems: readonly ItemProblem[];

  constructor(problems: readonly ItemProblem[]) {
    const [first] = problems;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    super(`${first?.path}: ${first?.message}${more}`);
    this.problems = problems;
  }
}

const maxReported = 20;
/** Jobs added per BullMQ `addBulk` call. */
const enqueueChunk = 5_000;

export interface SubmittedBatch {
  /** The batch, written whole with its items (status `validating` until all are queued). */
  readonly batch: BatchRow;
  /** Settles once every item is queued (the batch then `queued`), or the batch has `failed`. */
  readonly queued: Promise<BatchRow>;
}

/**
 * Accept a batch: validate every item before anything is created (options merged over the
 * template's and checked by the model, attachments known and of accepted types, `custom_id`
 * unique), write the batch and its items in one transaction, then queue the items at batch
 * priority in chunks. If queueing fails the batch ends `failed` and its items `cancelled`:
 * never silently partial.
 */
export async function submitBatch(
  services: PromptServices,
  input: SubmitBatchInput,
): Promise<SubmittedBatch> {
  const model = services.models.get(input.model ?? requireDefaultModel(services));
  const mode = batchModeOf(services, model, input.mode ?? 'realtime');
  await services.providerKeys.requireAvailable(model);
  // A batch is one request; its items are held to the budget and limits as they start.
  await services.subjectLimits?.admit(services.models, input, model, 'batch');
  const label = input.itemLabel ?? ((index) => `items[${index}]`);
  if (input.items.length > services.limits.maxBatchItems) {
    throw new PayloadTooLargeError(
      `A batch may hold at most ${services.limits.maxBatchItems} items (LLMQ_MAX_BATCH_ITEMS); this one has ${input.items.length}: split it`,
    );
  }
  if (input.schemaMulti && input.schema === undefined) {
    throw new InvalidRequestError('schema_multi wraps a schema: give the schema too');
  }
  const batchSchema =
    input.schema === undefined
      ? undefined
      : await schemaForModel(services, model, input.schema, {
          multi: input.schemaMulti,
          owner: input.owner,
        });
  const problems: ItemProblem[] = [];
  const report = (index: number, message: string) => {
    if (problems.length < maxReported) problems.push({ path: label(index), message });
  };
  // Items often repeat one schema: each distinct one is resolved (and compiled) once.
  const itemSchemas = new Map<string, Promise<ResolvedSchema>>();
  const schemaOf = (schema: SchemaInput): Promise<ResolvedSchema> => {
    requireSchemaSupport(services.models, model);
    const key = typeof schema === 'string' ? `text:${schema}` : `json:${JSON.stringify(schema)}`;
    let resolved = itemSchemas.get(key);
    // Each distinct schema is compiled, which costs: a batch may bring only so many.
    if (!resolved && itemSchemas.size + (batchSchema ? 1 : 0) >= schemaLimits.maxPerBatch) {
      throw new InvalidSchemaError(
        `a batch may use at most ${schemaLimits.maxPerBatch} distinct schemas (its own and its items'); split it`,
      );
    }
    if (!resolved) {
      resolved = schemaForModel(services, model, schema, { owner: input.owner });
      itemSchemas.set(key, resolved);
    }
    return resolved;
  };
  const customIds = new Set<string>();
  // Most items bring no options of their own: the template's are checked once for them all.
  let templateOptions: Record<string, unknown> | undefined;
  const optionsOf = (item: BatchItemBody): Record<string, unknown> => {
    if (item.options === undefined) {
      templateOptions ??= model.parseOptions({ ...input.options }) as Record<string, unknown>;
      return templateOptions;
    }
    return model.parseOptions({ ...input.options, ...item.options }) as Record<string, unknown>;
  };
  const parsed: Array<{
    item: BatchItemBody;
    options: Record<string, unknown>;
    prompt: string;
    schema: ResolvedSchema | undefined;
  }> = [];
  const firstUse = new Map<string, number>();
  for (const [index, raw] of input.items.entries()) {
    const result = batchItemSchema.safeParse(raw);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      report(
        index,
        `${where}${issue?.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue?.message}`,
      );
      continue;
    }
    const item = result.data;
    let options: Record<string, unknown>;
    try {
      options = optionsOf(item);
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      report(index, error.message);
      continue;
    }
    const prompt = item.prompt ?? input.prompt ?? '';
    if (!prompt && !item.attachments?.length) {
      report(index, 'give a prompt (here or in the batch), attachments, or both');
      continue;
    }
    if (item.custom_id !== undefined) {
      if (customIds.has(item.custom_id)) {
        report(
          index,
          `custom_id ${JSON.stringify(item.custom_id)} is used by an earlier item; each must be unique`,
        );
        continue;
      }
      customIds.add(item.custom_id);
    }
    let schema = batchSchema;
    if (item.schema !== undefined) {
      try {
        schema = await schemaOf(item.schema);
      } catch (error) {
        if (!(error instanceof InvalidSchemaError || error instanceof UnknownSchemaError)) {
          throw error;
        }
        report(index, `schema: ${error.message}`);
        continue;
      }
    }
    for (const attachment of item.attachments ?? []) {
      if (!firstUse.has(attachment.id)) firstUse.set(attachment.id, index);
    }
    parsed.push({ item, options, prompt, schema });
  }
  const inline = input.inlineAttachments ?? new Map<string, InlineAttachment>();
  const byId = [...firstUse.keys()].filter((id) => !inline.has(id));
  const found = await getAttachments(services.db, byId);
  const visible = await visibleAttachmentIds(services.db, [...found.keys()], input.owner);
  // Touched before they are linked, so the blob collector leaves them (see touchAttachments).
  const touched = await touchAttachments(services.db, [...visible]);
  const rows = new Map<string, ItemAttachment>([...found].filter(([id]) => touched.has(id)));
  for (const [id, index] of firstUse) {
    const row = rows.get(id) ?? inline.get(id);
    if (!row) {
      report(
        index,
        `no attachment has the id ${id}; upload the bytes with POST /v1/attachments first`,
      );
      continue;
    }
    try {
      await model.validateAttachments([new Attachment({ id: row.id, type: row.type })]);
    } catch (error) {
      report(index, error instanceof Error ? error.message : String(error));
    }
  }
  if (problems.length > 0) throw new BatchItemsError(problems);
  // Valid: only now is the request counted against requests per minute.
  await services.subjectLimits?.takeRequest(input);
  // Accepted: only now do the inline bytes go to the blob store.
  for (const id of firstUse.keys()) {
    const bytes = inline.get(id);
    if (!bytes) continue;
    const stored = await storeInlineAttachment(services, bytes, { owner: input.owner });
    rows.set(id, { ...stored, url: null });
  }

  const batch = await createBatch(services.db, {
    id: newId(),
    model: model.modelId,
    template: {
      prompt: input.prompt ?? null,
      system: input.system ?? null,
      options: input.options ?? {},
    },
    owner: input.owner ?? null,
    apiKeyId: input.apiKeyId ?? null,
    webhookUrl: input.webhookUrl ?? null,
    outputExpiresAfterMs: input.outputExpiresAfterMs,
    metadata: input.metadata,
    inputFileId: input.inputFileId,
    endpoint: input.endpoint,
    mode,
    providerBatch:
      mode === 'provider'
        ? { id: newId(), provider: model.batchApi?.provider ?? '', model: model.modelId }
        : undefined,
    schemaId: batchSchema?.id ?? null,
    itemsWithOwnPrompt: parsed.filter(({ item }) => item.prompt !== undefined).length,
    schemas: [
      ...(batchSchema ? [batchSchema] : []),
      ...parsed.flatMap(({ schema }) => (schema ? [schema] : [])),
    ],
    items: parsed.map(({ item, options, prompt, schema }) => ({
      id: newId(),
      model: model.modelId,
      prompt,
      system: item.system ?? input.system ?? null,
      options,
      customId: item.custom_id ?? null,
      owner: input.owner ?? null,
      apiKeyId: input.apiKeyId ?? null,
      schemaId: schema?.id ?? null,
      attachments: (item.attachments ?? []).map((attachment) => {
        const row = rows.get(attachment.id) as ItemAttachment;
        return {
          id: row.id,
          type: row.type,
          size: row.size,
          storageKey: row.storageKey,
          url: row.url,
        };
      }),
    })),
  });
  // Queueing 100,000 jobs takes seconds: the caller may answer before it ends. A crash or a Redis
  // outage meanwhile leaves the batch `validating`, which the fleet's reconciler finishes.
  return { batch, queued: enqueueBatch(services, batch) };
}

/**
 * Add a `validating` batch's queued items to the queue (again, if a crash interrupted it: a job
 * id that exists is not added twice, and an item that already ran is skipped by its worker),
 * then mark it `queued`. When Redis cannot take them, the batch stays `validating` with every
 * item queued in PostgreSQL: the fleet's reconciler queues it once Redis is back.
 */
export async function enqueueBatch(
  services: Pick<PromptServices, 'db' | 'queue'> & Partial<Pick<PromptServices, 'providerBatches'>>,
  batch: BatchRow,
): Promise<BatchRow> {
  if (batch.mode === 'provider') {
    if (!services.providerBatches) throw new ProviderBatchesNotRunningError(batch.id);
    // Its items have no jobs: one job submits them to the provider (see provider-batches/).
    await services.providerBatches.submit(batch.id);
    return (
      (await setBatchStatus(services.db, batch.id, ['validating'], { status: 'queued' })) ?? batch
    );
  }
  const ids = await batchItemIds(services.db, batch.id, 'queued');
  for (let start = 0; start < ids.length; start += enqueueChunk) {
    await services.queue.addBulk(
      ids.slice(start, start + enqueueChunk).map((promptId) => ({
        promptId,
        model: batch.model,
        owner: batch.owner,
        apiKeyId: batch.apiKeyId,
      })),
      'batch',
      batch.owner,
    );
  }
  return (
    (await setBatchStatus(services.db, batch.id, ['validating'], { status: 'queued' })) ?? batch
  );
}

/** The mode a batch runs in; `provider` for a model without a batch API is refused (422). */
function batchModeOf(
  services: Pick<PromptServices, 'models'>,
  model: AsyncModel,
  asked: 'realtime' | 'provider' | 'auto',
): 'realtime' | 'provider' {
  if (asked === 'realtime') return 'realtime';
  if (model.batchApi) return 'provider';
  if (asked === 'auto') return 'realtime';
  const eligible = services.models
    .models()
    .filter((candidate) => candidate.batchApi)
    .map((candidate) => candidate.modelId);
  throw new InvalidRequestError(
    `mode "provider": ${model.modelId} has no provider batch API; ${
      eligible.length > 0
        ? `the models with one are ${eligible.join(', ')}`
        : 'no loaded model has one'
    } (or use mode "realtime" or "auto"); nothing was created`,
  );
}

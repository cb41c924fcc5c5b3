import { resourceIdSchema, withoutNul } from '@llmq/contracts';
import { getFile, listBatches } from '@llmq/db/reads';
import { batchState, cancelBatch, getBatchState, NotFoundError, submitBatch } from '@llmq/engine';
import type { Hono } from 'hono';
import { z } from 'zod';
import { submitterOf } from '../auth/submitter.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { readJsonlItems } from '../uploads/jsonl-items.ts';
import { openAIBatchBody } from './batch-body.ts';
import { batchEndpointOf } from './batch-endpoint.ts';
import { batchRequests } from './batch-requests.ts';
import { expiresAfterSchema } from './expires-after.ts';
import { OpenAIRequestError } from './openai-error.ts';
import { openAIBodyLimit, readJson } from './openai-json.ts';
import { openAIMetadataSchema } from './openai-metadata.ts';

const createBatchSchema = withoutNul(
  z.object({
    input_file_id: resourceIdSchema,
    endpoint: z.enum(['/v1/chat/completions', '/chat/completions', '/v1/responses', '/responses'], {
      message: 'endpoint must be /v1/chat/completions or /v1/responses: the endpoints batches run',
    }),
    completion_window: z.literal('24h', 'completion_window must be 24h'),
    metadata: openAIMetadataSchema.nullish(),
    output_expires_after: expiresAfterSchema.nullish(),
  }),
);

const listQuerySchema = z.object({
  after: resourceIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

function batchNotFound(id: string): OpenAIRequestError {
  return new OpenAIRequestError(
    404,
    `No batch found with id '${id}'`,
    'batch_id',
    'batch_not_found',
  );
}

/** Runs `read`, answering OpenAI's 404 when the batch is not the caller's or does not exist. */
async function orNotFound<T>(id: string, read: () => Promise<T>): Promise<T> {
  if (!resourceIdSchema.safeParse(id).success) throw batchNotFound(id);
  try {
    return await read();
  } catch (error) {
    if (error instanceof NotFoundError) throw batchNotFound(id);
    throw error;
  }
}

/**
 * `/batches`: OpenAI's Batch API over llmq batches, so any model can run batches, whether or
 * not its provider has a batch API. The batch id is the llmq batch id.
 */
export function registerOpenAIBatchRoutes(app: Hono<ApiEnv>, deps: ApiDependencies): void {
  const { services } = deps;

  app.post(
    '/batches',
    openAIBodyLimit(deps.settings.maxJsonBytes, 'LLMQ_MAX_JSON_BYTES'),
    async (c) => {
      const body = await readJson(c, createBatchSchema);
      const { owner } = c.get('caller');
      const file = await getFile(services.db, body.input_file_id, owner);
      if (!file) {
        throw new OpenAIRequestError(
          404,
          `No such File object: ${body.input_file_id}`,
          'input_file_id',
          'file_not_found',
        );
      }
      if (file.purpose !== 'batch') {
        throw new OpenAIRequestError(
          400,
          `File ${file.id} was uploaded with purpose ${file.purpose}; upload batch input with purpose batch`,
          'input_file_id',
        );
      }
      const { stream } = await services.blobs.get(file.attachmentId);
      // A request line may carry inline images, as a chat completion's body may.
      const { items: values, lines } = await readJsonlItems(stream, {
        maxItems: services.limits.maxBatchItems,
        maxLineBytes: deps.settings.maxChatJsonBytes,
        lineSetting: 'LLMQ_MAX_CHAT_JSON_BYTES',
      });
      const endpoint = batchEndpointOf(body.endpoint);
      const { model, items, inlineAttachments } = await batchRequests(
        services,
        endpoint,
        values,
        lines,
        async (fileId) => (await getFile(services.db, fileId, owner))?.attachmentId,
        owner,
        c.req.raw.signal,
      );
      const { batch, queued } = await submitBatch(services, {
        model,
        items,
        itemLabel: (index) => `line ${lines[index] ?? index + 1}`,
        ...submitterOf(c.get('caller')),
        metadata: body.metadata ?? undefined,
        // Stored as given (created_at + seconds): outputExpiryOf counts it from the end.
        outputExpiresAfterMs: body.output_expires_after
          ? body.output_expires_after.seconds * 1_000
          : undefined,
        endpoint,
        inputFileId: file.id,
        inlineAttachments,
        mode: 'auto',
      });
      queued.catch((error: unknown) =>
        deps.logger.error(
          { err: error, batchId: batch.id },
          'queueing the batch failed; it is marked failed',
        ),
      );
      return c.json(openAIBatchBody(await batchState(services.db, batch)), 200);
    },
  );

  app.get('/batches', async (c) => {
    const query = listQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      throw new OpenAIRequestError(
        400,
        `Invalid query: ${query.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      );
    }
    const page = await listBatches(services.db, {
      owner: c.get('caller').owner,
      cursor: query.data.after,
      limit: query.data.limit ?? 20,
    });
    const data = await Promise.all(
      page.items.map(async (batch) => openAIBatchBody(await batchState(services.db, batch))),
    );
    return c.json({
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: page.nextCursor !== null,
    });
  });

  app.get('/batches/:id', async (c) => {
    const id = c.req.param('id');
    const state = await orNotFound(id, () => getBatchState(services, id, c.get('caller').owner));
    return c.json(openAIBatchBody(state));
  });

  app.post('/batches/:id/cancel', async (c) => {
    const id = c.req.param('id');
    const state = await orNotFound(id, () => cancelBatch(services, id, c.get('caller').owner));
    return c.json(openAIBatchBody(state));
  });
}

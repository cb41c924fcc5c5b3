import type { ServerResponse } from 'node:http';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  batchPageSchema,
  batchPathSchema,
  batchResultsQuerySchema,
  batchSchema,
  batchStreamQuerySchema,
  batchTemplateSchema,
  createBatchSchema,
  listBatchesQuerySchema,
  problemCatalogue,
  problemSchema,
} from '@llmq/contracts';
import { batchItemsPage, getBatch, listBatches } from '@llmq/db/reads';
import {
  type BatchState,
  batchCost,
  batchState,
  cancelBatch,
  getBatchState,
  retryBatch,
  submitBatch,
  webhookUrlOf,
} from '@llmq/engine';
import { isEntryId } from '@llmq/queue';
import { bodyLimit } from 'hono/body-limit';
import { submitterOf } from '../auth/submitter.ts';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { writeBatchStream } from '../streams/batch-stream.ts';
import { nodeResponseOf, openEventStream } from '../streams/open-event-stream.ts';
import { responseSink } from '../streams/response-sink.ts';
import { SharedBatchStates } from '../streams/shared-batch-states.ts';
import { readBatchInput } from './batch-input.ts';
import { batchBody, batchResultBody } from './serializers.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const batchResponse = { content: { 'application/json': { schema: batchSchema } } };

const createRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/batches',
  summary: 'Run one prompt (or many) over up to 100,000 items',
  description:
    'Items inline as JSON, or as a JSONL file in multipart/form-data (fields `model`, `prompt`, `system`, `options` as JSON, and `file`). Every item is validated before anything is created; a bad item answers 422 naming its index or line. Items are ordinary prompts, queued below interactive ones.',
  request: {
    body: {
      required: true,
      content: {
        'application/json': { schema: createBatchSchema },
        'multipart/form-data': {
          schema: batchTemplateSchema.extend({
            options: z.string().optional(),
            schema: z.string().optional().meta({
              description:
                'A JSON Schema as JSON text, a stored schema id, or llm’s concise syntax.',
            }),
            schema_multi: z.enum(['true', 'false']).optional(),
            file: z.string().meta({ format: 'binary' }),
          }),
        },
      },
    },
  },
  responses: {
    201: { description: 'Accepted and queued', ...batchResponse },
    404: { description: 'Unknown model', ...problem },
    413: { description: 'Too many items or too large', ...problem },
    422: { description: 'An invalid item (named)', ...problem },
  },
});

const listRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/batches',
  summary: 'Batches, newest first',
  request: { query: listBatchesQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: batchPageSchema } } },
  },
});

const getRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/batches/{id}',
  summary: 'A batch: status, counts (they always sum to total), timestamps',
  request: { params: batchPathSchema },
  responses: {
    200: { description: 'The batch', ...batchResponse },
    404: { description: 'Unknown id', ...problem },
  },
});

const cancelRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/cancel',
  summary: 'Cancel: queued items at once, running ones aborted, results kept',
  request: { params: batchPathSchema },
  responses: {
    200: { description: 'Cancelling or cancelled', ...batchResponse },
    404: { description: 'Unknown id', ...problem },
    409: { description: 'Already ended', ...problem },
  },
});

const retryRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/batches/{id}/retry',
  summary: 'Run the failed items again',
  request: { params: batchPathSchema },
  responses: {
    200: { description: 'Queued again', ...batchResponse },
    404: { description: 'Unknown id', ...problem },
    409: { description: 'Cannot be retried now', ...problem },
  },
});

const resultsRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/results',
  summary: 'Results as JSONL in item order: custom_id, prompt_id, status, text, usage, error',
  request: { params: batchPathSchema, query: batchResultsQuerySchema },
  responses: {
    200: {
      description: 'One JSON object per line',
      content: { 'application/x-ndjson': { schema: z.string() } },
    },
    404: { description: 'Unknown id', ...problem },
  },
});

const streamRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/batches/{id}/stream',
  summary: "Follow a batch's progress (Server-Sent Events)",
  description:
    'Events: `progress {status, counts}` (at most about four a second, when counts change), `item {index, custom_id, prompt_id, status}` with `?items=true`, and `done` at the end. Resume with `Last-Event-ID`.',
  request: {
    params: batchPathSchema,
    query: batchStreamQuerySchema,
    headers: z.object({ 'last-event-id': z.string().optional() }),
  },
  responses: {
    200: {
      description: 'An event stream',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    404: { description: 'Unknown id', ...problem },
  },
});

export function registerBatchRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDependencies,
  maxBatchFileBytes: number,
): void {
  const { services, settings } = deps;
  // A priced model's batch read alone says what it cost (one sum over its answered items);
  // lists and the answer to a create leave it null rather than sum every batch of a page.
  const bodyOf = async (state: BatchState) =>
    batchBody(
      state,
      services.prices ? await batchCost(services.db, state.batch, services.prices) : null,
    );
  // Looks at most every 200 ms: each stream looks every 250 ms, so it never reads a stale one twice.
  const sharedStates = new SharedBatchStates(async (batchId: string) => {
    const batch = await getBatch(services.db, batchId);
    return batch ? batchState(services.db, batch) : undefined;
  }, 200);

  app.openAPIRegistry.registerPath(createRouteDefinition);
  app.post(
    '/v1/batches',
    bodyLimit({
      maxSize: maxBatchFileBytes,
      onError: () => {
        throw new ProblemError(
          problemCatalogue.payloadTooLarge,
          `The batch body is larger than ${maxBatchFileBytes} bytes (LLMQ_MAX_BATCH_FILE_BYTES): split it into several batches`,
        );
      },
    }),
    async (c) => {
      const input = await readBatchInput(c.req, {
        maxItems: services.limits.maxBatchItems,
        // One item per line: as large as one JSON body may be.
        maxLineBytes: deps.settings.maxJsonBytes,
        lineSetting: 'LLMQ_MAX_JSON_BYTES',
      });
      const submitter = submitterOf(c.get('caller'));
      const { batch, queued } = await submitBatch(services, {
        ...input,
        ...submitter,
        webhookUrl: await webhookUrlOf(
          services.webhookUrls,
          input.webhookUrl,
          submitter.webhookUrl,
        ),
      });
      queued.catch((error: unknown) =>
        deps.logger.error(
          { err: error, batchId: batch.id },
          'queueing the batch failed; it is marked failed',
        ),
      );
      const state = await batchState(services.db, batch);
      c.header('location', `/v1/batches/${batch.id}`);
      return c.json(batchBody(state), 201);
    },
  );

  app.openapi(listRouteDefinition, async (c) => {
    const query = c.req.valid('query');
    const page = await listBatches(services.db, {
      owner: c.get('caller').owner,
      cursor: query.cursor,
      limit: query.limit,
    });
    const data = await Promise.all(
      page.items.map(async (batch) => batchBody(await batchState(services.db, batch))),
    );
    return c.json({ data, next_cursor: page.nextCursor }, 200);
  });

  app.openapi(getRouteDefinition, async (c) =>
    c.json(
      await bodyOf(await getBatchState(services, c.req.valid('param').id, c.get('caller').owner)),
      200,
    ),
  );

  app.openapi(cancelRouteDefinition, async (c) =>
    c.json(
      await bodyOf(await cancelBatch(services, c.req.valid('param').id, c.get('caller').owner)),
      200,
    ),
  );

  app.openapi(retryRouteDefinition, async (c) =>
    c.json(
      await bodyOf(await retryBatch(services, c.req.valid('param').id, c.get('caller').owner)),
      200,
    ),
  );

  app.openapi(resultsRouteDefinition, async (c) => {
    const { id } = c.req.valid('param');
    const { status } = c.req.valid('query');
    const state = await getBatchState(services, id, c.get('caller').owner);
    const outgoing = nodeResponse(c.env);
    outgoing.writeHead(200, {
      'content-type': 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="batch-${state.batch.id}-results.jsonl"`,
    });
    const sink = responseSink(outgoing);
    // Page by page in item order: a 100,000-line result never sits whole in memory.
    let after = -1;
    while (!sink.signal.aborted) {
      const page = await batchItemsPage(services.db, id, after, 1_000, status);
      if (page.length === 0) break;
      await sink.write(page.map((row) => `${JSON.stringify(batchResultBody(row))}\n`).join(''));
      after = page.at(-1)?.batchIndex ?? after;
      if (page.length < 1_000) break;
    }
    outgoing.end();
    return RESPONSE_ALREADY_SENT as never;
  });

  app.openapi(streamRouteDefinition, async (c) => {
    const { id } = c.req.valid('param');
    const query = c.req.valid('query');
    const afterId = c.req.valid('header')['last-event-id'] ?? query.after ?? '0';
    if (!isEntryId(afterId)) {
      throw new ProblemError(
        problemCatalogue.badEventId,
        `Cannot resume after ${JSON.stringify(afterId)}: give the id of the last event received`,
      );
    }
    const state = await getBatchState(services, id, c.get('caller').owner);
    const stream = openEventStream(nodeResponse(c.env), deps.metrics, 'batch');
    try {
      await writeBatchStream(stream.sink, services, state, {
        items: query.items === 'true',
        afterId,
        intervalMs: 250,
        keepAliveMs: settings.keepAliveMs,
        states: sharedStates,
      });
    } catch (error) {
      deps.logger.warn({ err: error, batchId: id }, 'batch stream ended by an error');
    } finally {
      stream.close();
    }
    return RESPONSE_ALREADY_SENT as never;
  });
}

function nodeResponse(env: unknown): ServerResponse {
  const outgoing = nodeResponseOf(env);
  if (!outgoing) {
    throw new ProblemError(
      problemCatalogue.streamingUnavailable,
      'This answer is streamed only by the Node server',
    );
  }
  return outgoing;
}

import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  createPromptQuerySchema,
  createPromptSchema,
  isEndedStatus,
  listPromptsQuerySchema,
  problemCatalogue,
  problemSchema,
  promptAcceptedSchema,
  promptPageSchema,
  promptPathSchema,
  promptSchema,
  streamQuerySchema,
} from '@llmq/contracts';
import { getPromptDetail, listPrompts } from '@llmq/db/reads';
import {
  cancelPromptJob,
  NotFoundError,
  submitPrompt,
  waitForPrompt,
  webhookUrlOf,
} from '@llmq/engine';
import { isEntryId } from '@llmq/queue';
import { submitterOf } from '../auth/submitter.ts';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { jsonBody } from '../server/json-body.ts';
import { nodeResponseOf, openEventStream } from '../streams/open-event-stream.ts';
import { writePromptStream } from '../streams/prompt-stream.ts';
import { acceptedBody, promptBody, promptSummaryBody } from './serializers.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const createRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/prompts',
  summary: 'Queue a prompt',
  description:
    'Everything is checked before the job is queued. An `Idempotency-Key` header makes a repeated request answer the first prompt. With `?wait=true` the call answers the finished prompt (200) when it ends within `wait_seconds`, else 202 as usual.',
  request: {
    query: createPromptQuerySchema,
    headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
    body: { required: true, content: { 'application/json': { schema: createPromptSchema } } },
  },
  responses: {
    200: {
      description: 'Finished (with ?wait=true)',
      content: { 'application/json': { schema: promptSchema } },
    },
    202: {
      description: 'Queued',
      content: { 'application/json': { schema: promptAcceptedSchema } },
    },
    404: { description: 'Unknown model or conversation', ...problem },
    413: { description: 'Too large', ...problem },
    415: { description: 'Not JSON', ...problem },
    422: { description: 'Invalid', ...problem },
    503: { description: 'Redis or the database is unavailable', ...problem },
  },
});

const getRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/prompts/{id}',
  summary: 'A prompt: status, text, usage, timings, attempts, error, attachments',
  request: { params: promptPathSchema },
  responses: {
    200: { description: 'The prompt', content: { 'application/json': { schema: promptSchema } } },
    404: { description: 'Unknown id', ...problem },
  },
});

const listRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/prompts',
  summary: 'Prompts newest first: full-text search and filters, cursor pages',
  request: { query: listPromptsQuerySchema },
  responses: {
    200: { description: 'A page', content: { 'application/json': { schema: promptPageSchema } } },
    422: { description: 'Invalid query', ...problem },
  },
});

const cancelRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/prompts/{id}/cancel',
  summary: 'Cancel a queued or running prompt',
  request: { params: promptPathSchema },
  responses: {
    200: { description: 'Cancelled', content: { 'application/json': { schema: promptSchema } } },
    404: { description: 'Unknown id', ...problem },
    409: { description: 'Already ended', ...problem },
  },
});

const streamRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/prompts/{id}/stream',
  summary: "Follow a prompt's events live (Server-Sent Events)",
  description:
    "Events: `status {status, attempt}`, `reasoning {text}` (the model's reasoning, apart from the answer), `chunk {text}`, `restart {attempt}` (drop the text and reasoning so far), `done {status, usage, duration_ms, data?}` (`data`: the answer as JSON, for a prompt with a schema), `error {status, error}`. Each event id is its log entry id: reconnect with `Last-Event-ID` (or `?after=`) to get exactly what was missed. The response ends after `done` or `error`; resuming at or past that final event gets it once more, then the end. A response that ends without a final event (the server shut down: it sends `retry:` first) means: reconnect with `Last-Event-ID`.",
  request: {
    params: promptPathSchema,
    query: streamQuerySchema,
    headers: z.object({ 'last-event-id': z.string().optional() }),
  },
  responses: {
    200: {
      description: 'An event stream',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    400: { description: 'Bad resume id', ...problem },
    404: { description: 'Unknown id', ...problem },
  },
});

export function registerPromptRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { services, settings } = deps;
  app.use('/v1/prompts', ...jsonBody(settings.maxJsonBytes));

  app.openapi(createRouteDefinition, async (c) => {
    const body = c.req.valid('json');
    const query = c.req.valid('query');
    const { owner } = c.get('caller');
    const submitter = submitterOf(c.get('caller'));
    const { prompt, created } = await submitPrompt(services, {
      model: body.model,
      prompt: body.prompt,
      system: body.system,
      attachments: body.attachments,
      options: body.options,
      schema: body.schema,
      schemaMulti: body.schema_multi,
      conversationId: body.conversation_id,
      tools: body.tools,
      toolResults: body.tool_results,
      chainLimit: body.chain_limit,
      idempotencyKey: c.req.valid('header')['idempotency-key'],
      signal: c.req.raw.signal,
      ...submitter,
      webhookUrl: await webhookUrlOf(services.webhookUrls, body.webhook_url, submitter.webhookUrl),
    });
    if (!created) c.header('idempotent-replayed', 'true');
    c.header('location', `/v1/prompts/${prompt.id}`);
    if (query.wait === 'true') {
      const seconds = query.wait_seconds ?? settings.waitSeconds;
      const finished = await waitForPrompt(services, prompt.id, seconds * 1000, owner);
      if (finished && isEndedStatus(finished.status)) {
        return c.json(promptBody(finished), 200);
      }
    }
    return c.json(acceptedBody(prompt), 202);
  });

  app.openapi(getRouteDefinition, async (c) => {
    const { id } = c.req.valid('param');
    const row = await getPromptDetail(services.db, id, c.get('caller').owner);
    if (!row) throw new NotFoundError('prompt', id);
    return c.json(promptBody(row), 200);
  });

  app.openapi(listRouteDefinition, async (c) => {
    const query = c.req.valid('query');
    const page = await listPrompts(services.db, {
      owner: c.get('caller').owner,
      q: query.q,
      model: query.model,
      status: query.status,
      conversationId: query.conversation_id,
      batchId: query.batch_id,
      schemaId: query.schema,
      createdAfter: query.created_after ? new Date(query.created_after) : undefined,
      createdBefore: query.created_before ? new Date(query.created_before) : undefined,
      cursor: query.cursor,
      limit: query.limit,
    });
    return c.json({ data: page.items.map(promptSummaryBody), next_cursor: page.nextCursor }, 200);
  });

  app.openapi(cancelRouteDefinition, async (c) => {
    const { id } = c.req.valid('param');
    const { owner } = c.get('caller');
    await cancelPromptJob(services, id, owner);
    const row = await getPromptDetail(services.db, id, owner);
    if (!row) throw new NotFoundError('prompt', id);
    return c.json(promptBody(row), 200);
  });

  app.openapi(streamRouteDefinition, async (c) => {
    const { id } = c.req.valid('param');
    const afterId = c.req.valid('header')['last-event-id'] ?? c.req.valid('query').after ?? '0';
    if (!isEntryId(afterId)) {
      throw new ProblemError(
        problemCatalogue.badEventId,
        `Cannot resume after ${JSON.stringify(afterId)}: give the id of the last event received (as Last-Event-ID or ?after=), like 1732550000000-0`,
      );
    }
    const prompt = await getPromptDetail(services.db, id, c.get('caller').owner);
    if (!prompt) throw new NotFoundError('prompt', id);
    const outgoing = nodeResponseOf(c.env);
    if (!outgoing) {
      throw new ProblemError(
        problemCatalogue.streamingUnavailable,
        'Event streams are served only over HTTP by the Node server',
      );
    }
    // Written straight to the Node response: no web-stream layer per client, and one frame per
    // entry shared by every client of the prompt.
    const stream = openEventStream(outgoing, deps.metrics, 'prompt');
    try {
      const logReachable = deps.redis.every((connection) => connection.status === 'ready');
      await writePromptStream(
        stream.sink,
        services.events,
        prompt,
        afterId,
        settings.keepAliveMs,
        logReachable,
        () => getPromptDetail(services.db, id, c.get('caller').owner),
      );
    } catch (error) {
      deps.logger.warn({ err: error, promptId: id }, 'stream ended by an error');
    } finally {
      stream.close();
    }
    return RESPONSE_ALREADY_SENT as never;
  });
}

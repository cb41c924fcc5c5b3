import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { isEndedStatus, problemCatalogue } from '@llmq/contracts';
import {
  getPrompt,
  getStoredSchema,
  type PromptWithAttachments,
  type ResponseRow,
  toolResultsOf,
} from '@llmq/db/reads';
import {
  ConflictError,
  cancelPromptJob,
  deletePromptJob,
  NotFoundError,
  type PromptServices,
} from '@llmq/engine';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { submitterOf } from '../auth/submitter.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { nodeResponseOf, openEventStream } from '../streams/open-event-stream.ts';
import { OpenAIRequestError, sendOpenAIError } from './openai-error.ts';
import { openAIBodyLimit, readJson } from './openai-json.ts';
import { previousResponseIdOf } from './previous-response-id.ts';
import { promptIdOfResponse, responseId, responseNotFound } from './response-ids.ts';
import { inputItemsOf, inputItemsPage, inputItemsQuerySchema } from './response-input-items.ts';
import { failureMessage, type ResponseRowFields, responseOfRow } from './response-object.ts';
import { writeResponseEvents } from './response-stream.ts';
import { responsesRequestSchema } from './responses-request.ts';
import { submitResponse } from './submit-response.ts';

const retrieveQuerySchema = z.object({
  stream: z.enum(['true', 'false']).optional(),
  // Not z.coerce: it reads an empty `starting_after=` as 0, which would skip the first event.
  starting_after: z
    .string()
    .regex(/^(-1|\d{1,15})$/, 'starting_after is an event number: -1, 0 or more')
    .transform(Number)
    .optional(),
  include_obfuscation: z.string().optional(),
  include: z.union([z.string(), z.array(z.string())]).optional(),
});

/**
 * `/responses`: OpenAI's Responses API over llmq prompts. Each response is an ordinary prompt
 * (`resp_<prompt id>`), stored, in its conversation and visible in `/v1`; `background` only
 * decides whether the request waits, as every prompt is a durable job; a stream (at creation or
 * `GET ?stream=true&starting_after=N`) is the prompt's event log as Responses events.
 */
export function registerResponsesRoutes(app: Hono<ApiEnv>, deps: ApiDependencies): void {
  const { services, settings } = deps;
  app.post(
    '/responses',
    openAIBodyLimit(settings.maxChatJsonBytes, 'LLMQ_MAX_CHAT_JSON_BYTES'),
    async (c) => {
      const request = await readJson(c, responsesRequestSchema);
      const { owner } = c.get('caller');
      if (request.stream && !nodeResponseOf(c.env)) throw streamingUnavailable();
      const row = await submitResponse(
        services,
        request,
        submitterOf(c.get('caller')),
        c.req.raw.signal,
      );
      const fields = await rowFields(services, row);
      if (request.stream) {
        return streamResponse(c, deps, { ...row, attachments: [] }, fields, -1);
      }
      c.header('x-llmq-prompt-id', row.id);
      c.header('x-request-id', row.id);
      // Only this answer knows the request asked for background: llmq does not store it.
      if (request.background) {
        return c.json(responseOfRow(row, { ...fields, background: true }), 200);
      }
      const ended = await endedPrompt(services, row.id, c.req.raw.signal, owner);
      if (ended?.status === 'succeeded') return c.json(responseOfRow(ended, fields), 200);
      // Retrying the HTTP call would only queue the same prompt again: the SDK is told not to.
      c.header('x-should-retry', 'false');
      return sendOpenAIError(c, 500, {
        message: `${ended ? failureMessage(ended) : 'The prompt was lost'} (response ${responseId(row.id)}: GET /openai/v1/responses/${responseId(row.id)})`,
        type: 'server_error',
        param: null,
        code: ended?.status === 'cancelled' ? 'cancelled' : (ended?.errorKind ?? 'model_error'),
      });
    },
  );

  app.get('/responses/:id', async (c) => {
    const prompt = await responsePrompt(c, services);
    const query = checkedQuery(retrieveQuerySchema, c.req.query());
    const fields = await rowFields(services, prompt);
    if (query.stream !== 'true') return c.json(responseOfRow(prompt, fields), 200);
    if (!nodeResponseOf(c.env)) throw streamingUnavailable();
    return streamResponse(c, deps, prompt, fields, query.starting_after ?? -1);
  });

  app.post('/responses/:id/cancel', async (c) => {
    const prompt = await responsePrompt(c, services);
    try {
      await cancelPromptJob(services, prompt.id, c.get('caller').owner);
    } catch (error) {
      // As OpenAI: cancelling a response that has ended answers it as it ended.
      if (!(error instanceof ConflictError)) throw error;
    }
    const row = (await getPrompt(services.db, prompt.id)) ?? prompt;
    return c.json(responseOfRow(row, await rowFields(services, row)), 200);
  });

  app.delete('/responses/:id', async (c) => {
    const id = c.req.param('id');
    const prompt = await responsePrompt(c, services);
    try {
      await deletePromptJob(services, prompt.id, c.get('caller').owner);
    } catch (error) {
      if (error instanceof NotFoundError) throw responseNotFound(id);
      throw error;
    }
    return c.json({ id, object: 'response.deleted', deleted: true }, 200);
  });

  app.get('/responses/:id/input_items', async (c) => {
    const prompt = await responsePrompt(c, services);
    const query = checkedQuery(inputItemsQuerySchema, c.req.query());
    const results = (await toolResultsOf(services.db, [prompt.id])).get(prompt.id) ?? [];
    return c.json(inputItemsPage(inputItemsOf(prompt, results), query), 200);
  });
}

/** A route's query, checked; a bad one is a 400 naming the parameter that is wrong. */
function checkedQuery<Schema extends z.ZodType>(
  schema: Schema,
  query: Record<string, string>,
): z.output<Schema> {
  const parsed = schema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const param = issue?.path.map(String).join('.') || null;
  throw new OpenAIRequestError(
    400,
    `Invalid query: ${param ? `${param}: ` : ''}${issue?.message}`,
    param,
    'invalid_request',
  );
}

function streamingUnavailable(): OpenAIRequestError {
  return new OpenAIRequestError(
    problemCatalogue.streamingUnavailable.status,
    'Streaming is served only by the Node server',
    'stream',
  );
}

/** The prompt behind the route's response id, the caller's own; else OpenAI's 404. */
async function responsePrompt(
  c: Context<ApiEnv>,
  services: PromptServices,
): Promise<PromptWithAttachments> {
  const id = c.req.param('id') ?? '';
  const prompt = await getPrompt(services.db, promptIdOfResponse(id), c.get('caller').owner);
  if (!prompt) throw responseNotFound(id);
  return prompt;
}

/**
 * What a response shows of its request: the schema its answer must match and the response it
 * continues (both unchanged as it runs, so a stream says them as a retrieval does).
 */
async function rowFields(services: PromptServices, row: ResponseRow): Promise<ResponseRowFields> {
  const [schema, previousResponseId] = await Promise.all([
    row.schemaId ? getStoredSchema(services.db, row.schemaId) : undefined,
    previousResponseIdOf(services.db, row),
  ]);
  return { ...row, schema: schema?.content, previousResponseId };
}

async function streamResponse(
  c: Context<ApiEnv>,
  deps: ApiDependencies,
  prompt: PromptWithAttachments,
  fields: ResponseRowFields,
  startingAfter: number,
): Promise<Response> {
  const outgoing = nodeResponseOf(c.env);
  if (!outgoing) throw streamingUnavailable();
  const { sink, close } = openEventStream(outgoing, deps.metrics, 'responses', {
    'x-llmq-prompt-id': prompt.id,
    'x-request-id': prompt.id,
  });
  try {
    await writeResponseEvents(
      sink,
      deps.services.events,
      prompt,
      fields,
      startingAfter,
      deps.settings.keepAliveMs,
    );
  } catch (error) {
    // Ended without a final event: the client resumes with starting_after.
    deps.logger.warn({ err: error, promptId: prompt.id }, 'response stream ended by an error');
  } finally {
    close();
  }
  return RESPONSE_ALREADY_SENT as never;
}

/** The prompt once it has ended (the caller may leave first: the prompt still runs). */
async function endedPrompt(
  services: PromptServices,
  promptId: string,
  signal: AbortSignal,
  owner: string | undefined,
): Promise<ResponseRow | undefined> {
  for await (const entry of services.events.follow(promptId, '0', signal)) {
    if (entry.event.type === 'done' || entry.event.type === 'error') break;
  }
  const row = await getPrompt(services.db, promptId, owner);
  return row && isEndedStatus(row.status) ? row : undefined;
}

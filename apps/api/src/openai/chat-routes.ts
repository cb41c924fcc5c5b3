import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { problemCatalogue, type ToolCallBody } from '@llmq/contracts';
import { SchemaNotSupportedError } from '@llmq/core';
import { getFile, getPrompt, type ResponseRow } from '@llmq/db/reads';
import { type PromptServices, submitChat } from '@llmq/engine';
import type { EventLog } from '@llmq/queue';
import type { Hono } from 'hono';
import { submitterOf } from '../auth/submitter.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { nodeResponseOf, openEventStream } from '../streams/open-event-stream.ts';
import type { FrameSink } from '../streams/response-sink.ts';
import { ChunkFrames, completionBody, doneFrame, errorFrame } from './chat-completion-body.ts';
import { ChatMappingError, chatOptions, chatRequestSchema, chatSchema } from './chat-request.ts';
import { chatTools } from './chat-tools.ts';
import { chatTurns } from './chat-turns.ts';
import { OpenAIRequestError, sendOpenAIError } from './openai-error.ts';
import { openAIBodyLimit, readJson } from './openai-json.ts';

/**
 * `POST /chat/completions`: the chat becomes an ordinary llmq prompt (its history a stored
 * conversation, its images and audio attachments, its functions client tools and its trailing
 * tool messages the prompt's tool results), queued at interactive priority and answered
 * in OpenAI's formats. `x-llmq-prompt-id` names the prompt in llmq's own API.
 */
export function registerChatRoutes(app: Hono<ApiEnv>, deps: ApiDependencies): void {
  const { services, settings } = deps;
  app.post(
    '/chat/completions',
    openAIBodyLimit(settings.maxChatJsonBytes, 'LLMQ_MAX_CHAT_JSON_BYTES'),
    async (c) => {
      const request = await readJson(c, chatRequestSchema);
      const { owner } = c.get('caller');
      const outgoing = nodeResponseOf(c.env);
      if (request.stream && !outgoing) {
        throw new OpenAIRequestError(
          problemCatalogue.streamingUnavailable.status,
          'Streaming is served only by the Node server',
          'stream',
        );
      }
      const model = services.models.get(request.model);
      let submitted: ResponseRow;
      try {
        const known = new Set(Object.keys(model.optionsSchema.shape));
        const options = chatOptions(request, known);
        const turns = await chatTurns(request.messages, async (fileId) => {
          return (await getFile(services.db, fileId, owner))?.attachmentId;
        });
        ({ prompt: submitted } = await submitChat(services, {
          model: request.model,
          system: turns.system,
          prompt: turns.prompt,
          attachments: turns.attachments,
          history: turns.history,
          tools: chatTools(request, known),
          toolResults: turns.toolResults.length > 0 ? turns.toolResults : undefined,
          options,
          schema: chatSchema(request),
          ...submitterOf(c.get('caller')),
          signal: c.req.raw.signal,
        }));
      } catch (error) {
        if (error instanceof ChatMappingError) {
          throw new OpenAIRequestError(400, error.message, error.param, 'invalid_request');
        }
        if (error instanceof SchemaNotSupportedError) {
          throw new OpenAIRequestError(400, error.message, 'response_format', 'invalid_request');
        }
        throw error;
      }
      const promptId = submitted.id;
      if (request.stream && outgoing) {
        const { sink, close } = openEventStream(outgoing, deps.metrics, 'chat', {
          'x-llmq-prompt-id': promptId,
          'x-request-id': promptId,
        });
        const frames = new ChunkFrames(submitted, request.stream_options?.include_usage === true);
        try {
          await writeChunks(sink, services.events, promptId, frames, settings.keepAliveMs);
        } catch (error) {
          deps.logger.warn({ err: error, promptId }, 'chat completion stream ended by an error');
          // Ending without [DONE] would look complete to the SDK: say the stream broke.
          sink.push(
            errorFrame(
              `The stream broke off (${error instanceof Error ? error.message : String(error)}); the prompt goes on: read it at GET /v1/prompts/${promptId}`,
              'stream_failed',
            ),
          );
        } finally {
          close();
        }
        return RESPONSE_ALREADY_SENT as never;
      }
      c.header('x-llmq-prompt-id', promptId);
      c.header('x-request-id', promptId);
      const row = await finishedPrompt(services, promptId, c.req.raw.signal, owner);
      if (row?.status === 'succeeded') return c.json(completionBody(row), 200);
      // Retrying the HTTP call would only queue the same prompt again: the SDK is told not to.
      c.header('x-should-retry', 'false');
      return sendOpenAIError(c, 500, {
        message: `${row?.error ?? `The prompt was ${row?.status ?? 'lost'}`} (llmq prompt ${promptId})`,
        type: 'server_error',
        param: null,
        code: row?.status === 'cancelled' ? 'cancelled' : (row?.errorKind ?? 'model_error'),
      });
    },
  );
}

/** The prompt once it has ended (the caller may leave first: the prompt still runs). */
async function finishedPrompt(
  services: PromptServices,
  promptId: string,
  signal: AbortSignal,
  owner: string | undefined,
): Promise<ResponseRow | undefined> {
  for await (const entry of services.events.follow(promptId, '0', signal)) {
    if (entry.event.type === 'done' || entry.event.type === 'error') break;
  }
  return getPrompt(services.db, promptId, owner);
}

/**
 * The prompt's events as `chat.completion.chunk` frames (reasoning as `delta.reasoning_content`,
 * in the order the model sent it), ending with `data: [DONE]`. A retry before any text or
 * reasoning was sent is invisible; one after cannot take back what was sent, so the stream ends
 * with an error that says where the whole answer can be read.
 */
async function writeChunks(
  sink: FrameSink,
  events: EventLog,
  promptId: string,
  frames: ChunkFrames,
  keepAliveMs: number,
): Promise<void> {
  const keepAlive = setInterval(() => sink.push(': keep-alive\n\n'), keepAliveMs);
  try {
    sink.push(frames.role());
    let sentText = false;
    // The attempt's calls, in case `done` does not list the calls for the client itself.
    let calls: ToolCallBody[] = [];
    for await (const { event } of events.follow(promptId, '0', sink.signal)) {
      if (event.type === 'chunk' && event.text) {
        sentText = true;
        await sink.write(frames.content(event.text));
      } else if (event.type === 'reasoning' && event.text) {
        // Reasoning sent cannot be taken back either: a restart after it ends the stream too.
        sentText = true;
        await sink.write(frames.reasoning(event.text));
      } else if (event.type === 'tool_call') {
        calls.push(event.call);
      } else if (event.type === 'restart') {
        calls = [];
        if (!sentText) continue;
        sink.push(
          errorFrame(
            `The model failed after it began to answer and llmq is running it again (attempt ${event.attempt}); this stream cannot take back what it sent. Read the whole answer at GET /v1/prompts/${promptId} or follow /v1/prompts/${promptId}/stream`,
            'restarted',
          ),
        );
        return;
      } else if (event.type === 'done') {
        // The calls go out once the prompt has ended: a retry before then takes none back.
        const clientCalls = event.tool_calls ?? (event.finish_reason === 'tool_calls' ? calls : []);
        // The last frames and the body's end leave in one write to the socket.
        sink.finish(
          [
            ...frames.toolCalls(clientCalls),
            frames.finish(clientCalls.length > 0 ? 'tool_calls' : 'stop'),
            frames.usage(event.usage) ?? '',
            doneFrame,
          ].join(''),
        );
        return;
      } else if (event.type === 'error') {
        sink.finish(
          errorFrame(`${event.error.message} (llmq prompt ${promptId})`, event.error.kind),
        );
        return;
      }
    }
  } finally {
    clearInterval(keepAlive);
  }
}

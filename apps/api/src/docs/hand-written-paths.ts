import type { PathItem } from './openapi-types.ts';

const json = { 'application/json': { schema: { type: 'object' } } } as const;
const openAIError = {
  description: 'An error in OpenAI’s shape: {error: {message, type, param, code}}',
  content: json,
};
const idParameter = (name: string, description: string) => ({
  name,
  in: 'path' as const,
  required: true,
  description,
  schema: { type: 'string' as const },
});

/**
 * Routes served without a zod-openapi definition (the OpenAI facade keeps OpenAI's own formats
 * and errors; /metrics, the queue dashboard and the docs serve text or pages), described here
 * so that /openapi.json lists every route the api serves.
 */
export const handWrittenPaths: Readonly<Record<string, PathItem>> = {
  '/openai/v1/chat/completions': {
    post: {
      summary: 'A chat completion, as OpenAI’s: queued and stored as an llmq prompt',
      description:
        'OpenAI’s request body (model, messages, stream, temperature, max_tokens, response_format, …). With `stream: true` the answer is OpenAI’s `chat.completion.chunk` events over Server-Sent Events, ending with `data: [DONE]`.',
      requestBody: { required: true, content: json },
      responses: {
        200: {
          description: 'The completion (or its chunks, with stream: true)',
          content: { ...json, 'text/event-stream': { schema: { type: 'string' } } },
        },
        400: openAIError,
        401: openAIError,
        404: openAIError,
      },
    },
  },
  '/openai/v1/models': {
    get: {
      summary: 'The models, as OpenAI’s model list',
      responses: { 200: { description: 'The list', content: json }, 401: openAIError },
    },
  },
  '/openai/v1/models/{model}': {
    get: {
      summary: 'One model by id or alias',
      parameters: [idParameter('model', 'A model id or alias')],
      responses: { 200: { description: 'The model', content: json }, 404: openAIError },
    },
  },
  '/openai/v1/files': {
    post: {
      summary: 'Upload a file (a batch’s JSONL input, or an attachment) as multipart/form-data',
      requestBody: {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                file: { type: 'string', format: 'binary' },
                purpose: {
                  type: 'string',
                  enum: ['batch', 'user_data', 'vision', 'assistants', 'evals'],
                },
                'expires_after[anchor]': { type: 'string', enum: ['created_at'] },
                'expires_after[seconds]': { type: 'integer', minimum: 3600, maximum: 2592000 },
              },
              required: ['file', 'purpose'],
            },
          },
        },
      },
      responses: { 200: { description: 'The file object', content: json }, 400: openAIError },
    },
    get: {
      summary: 'Files uploaded and batch output files, newest first',
      responses: { 200: { description: 'The list', content: json }, 401: openAIError },
    },
  },
  '/openai/v1/files/{id}': {
    get: {
      summary: 'A file object',
      parameters: [idParameter('id', 'A file id')],
      responses: { 200: { description: 'The file object', content: json }, 404: openAIError },
    },
    delete: {
      summary: 'Delete an uploaded file (its bytes go once nothing else refers to them)',
      parameters: [idParameter('id', 'A file id')],
      responses: { 200: { description: 'Deleted', content: json }, 404: openAIError },
    },
  },
  '/openai/v1/files/{id}/content': {
    get: {
      summary: 'A file’s bytes: an upload, or a batch’s output or error JSONL',
      parameters: [idParameter('id', 'A file id')],
      responses: {
        200: {
          description: 'The bytes',
          content: { 'application/octet-stream': { schema: { type: 'string' } } },
        },
        404: openAIError,
      },
    },
  },
  '/openai/v1/batches': {
    post: {
      summary: 'Run an uploaded JSONL file of chat completion requests as a batch',
      requestBody: { required: true, content: json },
      responses: { 200: { description: 'The batch object', content: json }, 400: openAIError },
    },
    get: {
      summary: 'Batches, newest first, as OpenAI’s list',
      responses: { 200: { description: 'The list', content: json }, 401: openAIError },
    },
  },
  '/openai/v1/batches/{id}': {
    get: {
      summary: 'A batch object: status, request counts, output and error files',
      parameters: [idParameter('id', 'A batch id')],
      responses: { 200: { description: 'The batch object', content: json }, 404: openAIError },
    },
  },
  '/openai/v1/batches/{id}/cancel': {
    post: {
      summary: 'Cancel a batch',
      parameters: [idParameter('id', 'A batch id')],
      responses: { 200: { description: 'The batch object', content: json }, 404: openAIError },
    },
  },
  '/openai/v1/responses': {
    post: {
      summary: 'A response, as OpenAI’s Responses API: queued and stored as an llmq prompt',
      description:
        'OpenAI’s request body (model, input as a string or items, instructions, previous_response_id, tools, text.format, reasoning, max_output_tokens, metadata, stream, background). With `stream: true` the answer is OpenAI’s Responses events over Server-Sent Events, each with a `sequence_number`; with `background: true` it is answered at once, queued.',
      requestBody: { required: true, content: json },
      responses: {
        200: {
          description: 'The response object (or its events, with stream: true)',
          content: { ...json, 'text/event-stream': { schema: { type: 'string' } } },
        },
        400: openAIError,
        401: openAIError,
        404: openAIError,
      },
    },
  },
  '/openai/v1/responses/{id}': {
    get: {
      summary: 'A response; with ?stream=true&starting_after=N its events after N, then live',
      parameters: [idParameter('id', 'A response id (resp_…)')],
      responses: {
        200: {
          description: 'The response object (or its events, with stream=true)',
          content: { ...json, 'text/event-stream': { schema: { type: 'string' } } },
        },
        400: openAIError,
        404: openAIError,
      },
    },
    delete: {
      summary: 'Delete a response (cancelled first if unfinished): its prompt and event log go',
      parameters: [idParameter('id', 'A response id (resp_…)')],
      responses: {
        200: { description: '{id, object: "response.deleted", deleted: true}', content: json },
        404: openAIError,
        409: openAIError,
      },
    },
  },
  '/openai/v1/responses/{id}/cancel': {
    post: {
      summary: 'Cancel a response',
      parameters: [idParameter('id', 'A response id (resp_…)')],
      responses: { 200: { description: 'The response object', content: json }, 404: openAIError },
    },
  },
  '/openai/v1/responses/{id}/input_items': {
    get: {
      summary: 'A response’s input items, as OpenAI’s list',
      parameters: [idParameter('id', 'A response id (resp_…)')],
      responses: { 200: { description: 'The list', content: json }, 404: openAIError },
    },
  },
  '/metrics': {
    get: {
      summary: 'Prometheus metrics (admin key, unless LLMQ_METRICS_ACCESS says otherwise)',
      description:
        'An admin key as a Bearer token or a Basic auth password by default (LLMQ_METRICS_ACCESS=admin); `public` serves it without a key; `port` serves it on LLMQ_METRICS_HOST:LLMQ_METRICS_PORT only, not here.',
      responses: {
        200: {
          description: 'Prometheus text exposition',
          content: { 'text/plain': { schema: { type: 'string' } } },
        },
        401: { description: 'A key is needed' },
        403: { description: 'Not an admin key' },
      },
    },
  },
  '/admin/queues': {
    get: {
      summary: 'The BullMQ queue dashboard (admin keys only)',
      responses: {
        200: {
          description: 'The dashboard',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
        401: { description: 'A key is needed' },
      },
    },
  },
  '/docs': {
    get: {
      summary: 'This page: the API rendered by Swagger UI',
      responses: {
        200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    },
  },
  '/openapi.json': {
    get: {
      summary: 'The OpenAPI 3.1 document of every route',
      responses: { 200: { description: 'The document', content: json } },
    },
  },
};

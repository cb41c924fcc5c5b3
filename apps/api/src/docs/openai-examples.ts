import { batchId, promptId } from './example-values.ts';
import type { RouteExample } from './route-example.ts';

const openAIFile = {
  id: 'file-6f1ed002ab55',
  object: 'file',
  bytes: 1_024,
  created_at: 1_796_315_400,
  filename: 'requests.jsonl',
  purpose: 'batch',
};

const openAIBatch = {
  id: `batch_${batchId}`,
  object: 'batch',
  endpoint: '/v1/chat/completions',
  input_file_id: openAIFile.id,
  completion_window: '24h',
  status: 'in_progress',
  request_counts: { total: 3, completed: 2, failed: 0 },
  created_at: 1_796_315_400,
};

/** The OpenAI-compatible facade under /openai/v1. */
export const openAIExamples: Readonly<Record<string, RouteExample>> = {
  'get /openai/v1/models': {
    response: {
      object: 'list',
      data: [{ id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'llmq' }],
    },
  },
  'get /openai/v1/models/{model}': {
    response: { id: 'gpt-4o-mini', object: 'model', created: 0, owned_by: 'llmq' },
  },
  'post /openai/v1/chat/completions': {
    request: {
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Answer briefly.' },
        { role: 'user', content: 'What is the capital of France?' },
      ],
    },
    response: {
      id: `chatcmpl-${promptId}`,
      object: 'chat.completion',
      created: 1_796_315_400,
      model: 'gpt-4o-mini',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Paris.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 21, completion_tokens: 2, total_tokens: 23 },
    },
  },
  'post /openai/v1/files': {
    request: { purpose: 'batch', file: '(requests.jsonl)' },
    response: openAIFile,
  },
  'get /openai/v1/files': {
    response: {
      object: 'list',
      data: [openAIFile],
      first_id: openAIFile.id,
      last_id: openAIFile.id,
      has_more: false,
    },
  },
  'get /openai/v1/files/{id}': { response: openAIFile },
  'delete /openai/v1/files/{id}': {
    response: { id: openAIFile.id, object: 'file', deleted: true },
  },
  'get /openai/v1/files/{id}/content': {
    response: `${JSON.stringify({ custom_id: 'greeting', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Good morning' }] } })}\n`,
  },
  'post /openai/v1/batches': {
    request: {
      input_file_id: openAIFile.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    },
    response: openAIBatch,
  },
  'get /openai/v1/batches': { response: { object: 'list', data: [openAIBatch], has_more: false } },
  'get /openai/v1/batches/{id}': { response: openAIBatch },
  'post /openai/v1/batches/{id}/cancel': { response: { ...openAIBatch, status: 'cancelling' } },
};

import {
  attachment,
  attachmentId,
  conversationId,
  links,
  prompt,
  promptId,
  promptSummary,
  schemaId,
  time,
} from './example-values.ts';
import type { RouteExample } from './route-example.ts';

const storedSchema = {
  id: schemaId,
  schema: {
    type: 'object',
    properties: { vendor: { type: 'string' }, total: { type: 'number' } },
    required: ['vendor', 'total'],
  },
  created_at: time,
};

/** Prompts, their attachments, conversations and schemas, and the models and tools they use. */
export const promptExamples: Readonly<Record<string, RouteExample>> = {
  'post /v1/prompts': {
    request: {
      model: 'gpt-4o-mini',
      prompt: 'Describe this picture in one sentence',
      attachments: [{ id: attachmentId }],
      options: { temperature: 0.2 },
    },
    response: { id: promptId, status: 'queued', conversation_id: conversationId, links },
  },
  'get /v1/prompts': { response: { data: [promptSummary], next_cursor: null } },
  'get /v1/prompts/{id}': { response: prompt },
  'post /v1/prompts/{id}/cancel': {
    response: {
      ...prompt,
      status: 'cancelled',
      text: null,
      usage: null,
      error: { kind: 'Cancelled', message: 'Cancelled by the caller' },
    },
  },
  'get /v1/prompts/{id}/stream': {
    response: [
      'id: 1796315400000-0\nevent: status\ndata: {"status":"running","attempt":1}\n',
      'id: 1796315400120-0\nevent: chunk\ndata: {"text":"A red kite"}\n',
      'id: 1796315401240-0\nevent: done\ndata: {"status":"succeeded","usage":{"input":812,"output":9,"details":null},"duration_ms":1240}\n\n',
    ].join('\n'),
  },
  'post /v1/prompts/{id}/token': {
    response: {
      token: 'eyJhbGciOi…',
      expires_at: '2026-12-03T16:40:00.000Z',
      stream_url: `/v1/prompts/${promptId}/stream?token=eyJhbGciOi…`,
    },
  },
  'post /v1/attachments': {
    response: { id: attachmentId, type: 'image/png', size: 48_213, created: true },
  },
  'get /v1/attachments': { response: { data: [attachment], next_cursor: null } },
  'get /v1/attachments/{id}': { response: attachment },
  'get /v1/attachments/{id}/content': { response: '(the bytes, with their Content-Type)' },
  'get /v1/conversations': {
    response: {
      data: [
        {
          id: conversationId,
          name: 'Describe this picture',
          model: 'gpt-4o-mini',
          created_at: time,
        },
      ],
      next_cursor: null,
    },
  },
  'get /v1/conversations/{id}': {
    response: {
      id: conversationId,
      name: 'Describe this picture',
      model: 'gpt-4o-mini',
      created_at: time,
      turns: [prompt],
    },
  },
  'get /v1/schemas': { response: { data: [storedSchema], next_cursor: null } },
  'get /v1/schemas/{id}': { response: storedSchema },
  'get /v1/models': {
    response: {
      data: [
        {
          id: 'gpt-4o-mini',
          aliases: ['4o-mini'],
          can_stream: true,
          supports_schema: true,
          supports_tools: true,
          attachment_types: ['image/png', 'image/jpeg'],
          options: { type: 'object', properties: { temperature: { type: 'number' } } },
          needs_key: 'openai',
          key_env_var: 'OPENAI_API_KEY',
          provider: 'openai',
          endpoint: 'https://api.openai.com/v1',
          api: 'responses',
          fallbacks: ['qwen'],
          available: true,
          unavailable_reason: null,
          default: true,
        },
        {
          id: 'qwen',
          aliases: [],
          can_stream: true,
          supports_schema: false,
          supports_tools: false,
          attachment_types: [],
          options: { type: 'object', properties: { temperature: { type: 'number' } } },
          needs_key: null,
          key_env_var: null,
          provider: 'vllm',
          endpoint: 'http://10.0.0.5:8000/v1',
          api: 'chat',
          fallbacks: [],
          available: true,
          unavailable_reason: null,
          default: false,
        },
      ],
    },
  },
  'get /v1/tools': {
    response: {
      data: [
        {
          name: 'upper',
          description: 'Upper-case a text.',
          input_schema: {
            type: 'object',
            properties: { text: { type: 'string' } },
            required: ['text'],
          },
          source: 'mcp:text-tools',
          hash: 'b7d1c0f4e9a8d3c2b1a09f8e7d6c5b4a3928171605f4e3d2c1b0a9f8e7d6c5b4',
        },
      ],
    },
  },
  'delete /v1/prompts/{id}': { response: { id: promptId, deleted: true } },
  'delete /v1/conversations/{id}': {
    response: { id: conversationId, deleted: true, prompts: 3 },
  },
  'delete /v1/attachments/{id}': { response: { id: attachmentId, deleted: true } },
};

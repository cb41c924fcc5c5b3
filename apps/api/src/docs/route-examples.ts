/** An example of a route's request body, its success response body, or both. */
export interface RouteExample {
  readonly request?: unknown;
  readonly response?: unknown;
}

const promptId = '01JEXAMP1EPR0MPT000000000A';
const conversationId = '01JEXAMP1EC0NVERSAT10N000B';
const batchId = '01JEXAMP1EBATCH00000000000C';
const attachmentId = '6f1ed002ab5595859014ebf0951522d9a7e4d3b6c1c2b1c6b7bb7b0f1b6c5a11';
const schemaId = '3b4c1f0a9e2d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a090';
const time = '2026-12-03T16:30:00.000Z';
const links = { self: `/v1/prompts/${promptId}`, stream: `/v1/prompts/${promptId}/stream` };

const attachment = {
  id: attachmentId,
  type: 'image/png',
  size: 48_213,
  url: null,
  created_at: time,
};

const promptSummary = {
  id: promptId,
  model: 'gpt-4o-mini',
  resolved_model: 'gpt-4o-mini',
  status: 'succeeded',
  prompt: 'Describe this picture in one sentence',
  system: null,
  options: { temperature: 0.2 },
  conversation_id: conversationId,
  batch_id: null,
  custom_id: null,
  text: 'A red kite over a green hill.',
  schema_id: null,
  data: null,
  reasoning: null,
  usage: { input: 812, output: 9, details: null },
  cost_usd: 0.0001272,
  duration_ms: 1_240,
  datetime_utc: time,
  attempts: 1,
  error: null,
  created_at: time,
  started_at: time,
  completed_at: '2026-12-03T16:30:01.240Z',
  links,
};
const prompt = { ...promptSummary, attachments: [attachment] };

const counts = { total: 3, queued: 0, running: 1, succeeded: 2, failed: 0, cancelled: 0 };
const batch = {
  id: batchId,
  model: 'gpt-4o-mini',
  status: 'running',
  counts,
  prompt: 'Translate into French',
  system: null,
  options: {},
  schema_id: null,
  error: null,
  created_at: time,
  started_at: time,
  completed_at: null,
  cancelled_at: null,
  links: {
    self: `/v1/batches/${batchId}`,
    stream: `/v1/batches/${batchId}/stream`,
    results: `/v1/batches/${batchId}/results`,
  },
};

const storedSchema = {
  id: schemaId,
  schema: {
    type: 'object',
    properties: { vendor: { type: 'string' }, total: { type: 'number' } },
    required: ['vendor', 'total'],
  },
  created_at: time,
};

const noLimits = {
  budget_usd: null,
  budget_period: null,
  requests_per_minute: null,
  tokens_per_minute: null,
  max_concurrent: null,
};

const ownerKey = {
  id: '01JEXAMP1EKEY0000000000000',
  name: 'reporting job',
  owner: 'reporting',
  created_at: time,
  revoked_at: null,
  expires_at: '2027-03-03T16:30:00.000Z',
  allowed_models: ['gpt-4o-mini'],
  webhook_url: null,
  ...noLimits,
  budget_usd: 20,
  budget_period: 'month',
  requests_per_minute: 60,
};

const ownerLimits = {
  owner: 'reporting',
  ...noLimits,
  budget_usd: 500,
  budget_period: 'month',
  max_concurrent: 20,
  updated_at: time,
};

const providerKey = {
  name: 'openai',
  last_four: 'x7Qa',
  set_by: 'admin',
  set_at: time,
  models: ['gpt-4o-mini', 'gpt-4o'],
};

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

/**
 * One example per route, by `method path` as in the OpenAPI document. They are given here
 * rather than in each route's definition: route files stay about behaviour, and one place
 * shows every example side by side.
 */
const webhookDelivery = {
  id: '01JEXAMP1EWEBH00KDE11VERYD',
  event_type: 'prompt.succeeded',
  subject_kind: 'prompt',
  subject_id: promptId,
  url: 'https://example.com/hooks/llmq',
  status: 'delivered',
  attempts: [
    {
      attempt: 1,
      started_at: time,
      duration_ms: 212,
      status_code: 503,
      error: 'the receiver answered 503: upstream busy',
    },
    { attempt: 2, started_at: time, duration_ms: 48, status_code: 204, error: null },
  ],
  next_attempt_at: null,
  created_at: time,
  ended_at: time,
  payload: JSON.stringify({
    type: 'prompt.succeeded',
    timestamp: time,
    data: { id: promptId, object: 'prompt', status: 'succeeded', model: 'gpt-4o-mini' },
  }),
};

export const routeExamples: Readonly<Record<string, RouteExample>> = {
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
  'get /v1/batches/{id}/stream': {
    response: [
      `event: progress\ndata: ${JSON.stringify({ type: 'progress', status: 'running', counts })}\n`,
      `event: done\ndata: ${JSON.stringify({ type: 'done', status: 'succeeded', counts: { ...counts, running: 0, succeeded: 3 } })}\n\n`,
    ].join('\n'),
  },
  'post /v1/batches/{id}/token': {
    response: {
      token: 'eyJhbGciOi…',
      expires_at: '2026-12-03T16:40:00.000Z',
      stream_url: `/v1/batches/${batchId}/stream?token=eyJhbGciOi…`,
    },
  },
  'post /v1/attachments': {
    response: { id: attachmentId, type: 'image/png', size: 48_213, created: true },
  },
  'get /v1/attachments': { response: { data: [attachment], next_cursor: null } },
  'get /v1/attachments/{id}': { response: attachment },
  'get /v1/attachments/{id}/content': { response: '(the bytes, with their Content-Type)' },
  'post /v1/batches': {
    request: {
      model: 'gpt-4o-mini',
      prompt: 'Translate into French',
      items: [
        { custom_id: 'greeting', prompt: 'Good morning' },
        { custom_id: 'farewell', prompt: 'See you tomorrow' },
        { custom_id: 'thanks', prompt: 'Thank you' },
      ],
    },
    response: {
      ...batch,
      status: 'queued',
      counts: { ...counts, queued: 3, running: 0, succeeded: 0 },
    },
  },
  'get /v1/batches': { response: { data: [batch], next_cursor: null } },
  'get /v1/batches/{id}': { response: batch },
  'post /v1/batches/{id}/cancel': {
    response: { ...batch, status: 'cancelled', cancelled_at: time },
  },
  'post /v1/batches/{id}/retry': { response: { ...batch, status: 'running' } },
  'get /v1/batches/{id}/results': {
    response: `${JSON.stringify({
      index: 0,
      custom_id: 'greeting',
      prompt_id: promptId,
      status: 'succeeded',
      text: 'Bonjour',
      data: null,
      usage: { input: 12, output: 2, details: null },
      error: null,
    })}\n`,
  },
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
  'get /v1/usage': {
    response: {
      currency: 'USD',
      from: '2026-12-01',
      to: '2026-12-03',
      group_by: ['day'],
      total: { requests: 1_250, input_tokens: 1_015_000, output_tokens: 11_250, cost_usd: 0.159 },
      data: [
        {
          day: '2026-12-02',
          requests: 250,
          input_tokens: 203_000,
          output_tokens: 2_250,
          cost_usd: 0.0318,
        },
        {
          day: '2026-12-03',
          requests: 1_000,
          input_tokens: 812_000,
          output_tokens: 9_000,
          cost_usd: 0.1272,
        },
      ],
    },
  },
  'get /healthz': { response: { status: 'ok' } },
  'get /readyz': {
    response: {
      status: 'ok',
      checks: { redis: { status: 'ok' }, database: { status: 'ok' }, storage: { status: 'ok' } },
    },
  },
  'get /metrics': {
    response:
      '# HELP llmq_jobs_total Prompt jobs that ended, by model and status.\n# TYPE llmq_jobs_total counter\nllmq_jobs_total{model="gpt-4o-mini",status="succeeded"} 42\n',
  },
  'get /docs': { response: '<!doctype html>… (Swagger UI)' },
  'get /openapi.json': {
    response: { openapi: '3.1.0', info: { title: 'llmq', version: '0.1.0' } },
  },
  'post /v1/keys': {
    request: {
      name: 'reporting job',
      owner: 'reporting',
      allowed_models: ['4o-mini'],
      expires_in_days: 90,
      budget_usd: 20,
      budget_period: 'month',
      requests_per_minute: 60,
    },
    response: { ...ownerKey, key: 'llmq_3q2-…' },
  },
  'get /v1/keys': { response: { data: [ownerKey] } },
  'delete /v1/prompts/{id}': { response: { id: promptId, deleted: true } },
  'delete /v1/conversations/{id}': {
    response: { id: conversationId, deleted: true, prompts: 3 },
  },
  'delete /v1/batches/{id}': { response: { id: batchId, deleted: true, prompts: 1_000 } },
  'delete /v1/attachments/{id}': { response: { id: attachmentId, deleted: true } },
  'patch /v1/keys/{id}': {
    request: { budget_usd: 50, requests_per_minute: null },
    response: { ...ownerKey, budget_usd: 50, requests_per_minute: null },
  },
  'get /v1/owners/{owner}/limits': { response: ownerLimits },
  'put /v1/owners/{owner}/limits': {
    request: { budget_usd: 500, budget_period: 'month', max_concurrent: 20 },
    response: ownerLimits,
  },
  'delete /v1/owners/{owner}/limits': {
    response: { ...ownerLimits, ...noLimits, updated_at: null },
  },
  'get /v1/limits': {
    response: {
      owner: 'reporting',
      key: (({ revoked_at: _revoked, ...key }) => key)(ownerKey),
      owner_limits: ownerLimits,
    },
  },
  'delete /v1/keys/{id}': { response: { ...ownerKey, revoked_at: '2026-12-04T09:00:00.000Z' } },
  'put /v1/provider-keys/{name}': {
    request: { key: 'sk-proj-…' },
    response: providerKey,
  },
  'get /v1/provider-keys': { response: { data: [providerKey] } },
  'delete /v1/provider-keys/{name}': { response: { name: 'openai', deleted: true } },
  'get /admin/queues': { response: '<!doctype html>… (the BullMQ dashboard)' },
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
  'get /v1/webhook-deliveries': { response: { data: [webhookDelivery], next_cursor: null } },
  'get /v1/webhook-deliveries/{id}': { response: webhookDelivery },
  'post /v1/webhook-deliveries/{id}/retry': {
    response: { ...webhookDelivery, status: 'pending', next_attempt_at: time, ended_at: null },
  },
  'get /v1/webhooks/secret': { response: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } },
};

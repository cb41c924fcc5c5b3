/**
 * The values the route examples share: one prompt, batch, conversation and attachment that the
 * examples of every resource refer to, so the document tells one consistent story.
 */
export const promptId = '01JEXAMP1EPR0MPT000000000A';
export const conversationId = '01JEXAMP1EC0NVERSAT10N000B';
export const batchId = '01JEXAMP1EBATCH00000000000C';
export const attachmentId = '6f1ed002ab5595859014ebf0951522d9a7e4d3b6c1c2b1c6b7bb7b0f1b6c5a11';
export const schemaId = '3b4c1f0a9e2d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a090';
export const time = '2026-12-03T16:30:00.000Z';
export const links = { self: `/v1/prompts/${promptId}`, stream: `/v1/prompts/${promptId}/stream` };

export const attachment = {
  id: attachmentId,
  type: 'image/png',
  size: 48_213,
  url: null,
  created_at: time,
};

export const promptSummary = {
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
export const prompt = { ...promptSummary, attachments: [attachment] };

export const counts = { total: 3, queued: 0, running: 1, succeeded: 2, failed: 0, cancelled: 0 };
export const batch = {
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

import { batch, batchId, counts, promptId, time } from './example-values.ts';
import type { RouteExample } from './route-example.ts';

/** Batches: creating, following, cancelling, retrying, results. */
export const batchExamples: Readonly<Record<string, RouteExample>> = {
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
  'delete /v1/batches/{id}': { response: { id: batchId, deleted: true, prompts: 1_000 } },
};

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ModelRegistry } from '@llmq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';

const refusalText = "I'm sorry, I can't help with that.";
const usage = {
  input_tokens: 5,
  input_tokens_details: { cached_tokens: 0 },
  output_tokens: 8,
  output_tokens_details: { reasoning_tokens: 0 },
  total_tokens: 13,
};
const message = {
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  status: 'completed',
  content: [{ type: 'refusal', refusal: refusalText }],
};
const completed = {
  id: 'resp_1',
  object: 'response',
  created_at: 1,
  model: 'gpt-4.1-mini',
  status: 'completed',
  output: [message],
  usage,
};

/** OpenAI's events for a refusal: a message whose content part is `refusal`, in deltas. */
const refusalEvents = [
  { type: 'response.created', response: { ...completed, status: 'in_progress', output: [] } },
  {
    type: 'response.output_item.added',
    output_index: 0,
    item: { ...message, status: 'in_progress', content: [] },
  },
  {
    type: 'response.content_part.added',
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    part: { type: 'refusal', refusal: '' },
  },
  ...["I'm sorry,", " I can't", ' help with that.'].map((delta) => ({
    type: 'response.refusal.delta',
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    delta,
  })),
  {
    type: 'response.refusal.done',
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    refusal: refusalText,
  },
  { type: 'response.output_item.done', output_index: 0, item: message },
  { type: 'response.completed', response: completed },
];

let server: Server;
let registry: ModelRegistry;

// The local test server never refuses, so this one does: a refusal over a real socket, as
// OpenAI streams it (or answers it whole), for any request.
beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      if (JSON.parse(body).stream) {
        response.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const [index, event] of refusalEvents.entries()) {
          const data = JSON.stringify({ ...event, sequence_number: index });
          response.write(`event: ${event.type}\ndata: ${data}\n\n`);
        }
        response.end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(completed));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'refuser', model: 'gpt-4.1-mini', api: 'responses' },
        { id: 'refuser-whole', model: 'gpt-4.1-mini', api: 'responses', stream: false },
      ]),
    },
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('a refusal over the Responses API', () => {
  it('streams the refusal as the answer’s text', async () => {
    const response = registry.get('refuser').prompt('Something forbidden');
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    expect(chunks.join('')).toBe(refusalText);
    expect(await response.text()).toBe(refusalText);
  });

  it('gives a whole answer’s refusal part as its text', async () => {
    const response = registry.get('refuser-whole').prompt('Something forbidden');
    expect(await response.text()).toBe(refusalText);
  });
});

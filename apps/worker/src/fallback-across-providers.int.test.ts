import { newId } from '@llmq/core';
import { createQueuedPrompt } from '@llmq/db';
import {
  type AnthropicCompatibleServer,
  type OpenAICompatibleServer,
  startAnthropicCompatibleServer,
  startOpenAICompatibleServer,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

let fleet: WorkerFleet;
let openai: OpenAICompatibleServer;
let anthropic: AnthropicCompatibleServer;

beforeAll(async () => {
  fleet = await openWorkerFleet();
  // OpenAI's side is down for good: every call a 503.
  openai = await startOpenAICompatibleServer({
    reply: () => ({
      status: 503,
      error: { message: 'The server is overloaded', type: 'server_error' },
    }),
  });
  anthropic = await startAnthropicCompatibleServer({
    reply: () => ({ text: 'answered by Claude' }),
  });
});

afterAll(async () => {
  await fleet?.close();
  await openai?.close();
  await anthropic?.close();
});

describe('a fallback to another provider', () => {
  it('answers from the fallback once the model’s provider keeps failing, and says so', async () => {
    fleet.start({
      LLMQ_PLUGINS: '@llmq/plugin-openai,@llmq/plugin-anthropic',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: openai.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'gpt-flaky', fallbacks: ['claude-local'] }]),
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: anthropic.baseUrl,
      LLMQ_ANTHROPIC_MODELS: JSON.stringify([{ id: 'claude-local', model: 'claude-sonnet-4-6' }]),
      LLMQ_FALLBACK_AFTER_ATTEMPTS: '2',
    });
    const id = newId();
    await createQueuedPrompt(fleet.database.db, {
      id,
      model: 'gpt-flaky',
      prompt: 'Which provider answers?',
      options: {},
      conversationId: newId(),
      attachments: [],
    });
    await fleet.queue.add({ promptId: id, model: 'gpt-flaky' });
    const row = await fleet.ended(id, 30_000);
    expect(row).toMatchObject({
      status: 'succeeded',
      model: 'gpt-flaky',
      response: 'answered by Claude',
      attempts: 3,
    });
    expect(row.resolvedModel).toMatch(/^claude/);
    expect(row.fallbackReason).toMatch(/^gpt-flaky failed 2 attempts: OpenAI API error 503/);
    expect(
      openai.requests.filter((request) => request.path.endsWith('/chat/completions')),
    ).toHaveLength(2);
    expect(anthropic.requests).toHaveLength(1);
    expect(anthropic.requests[0]?.body).toMatchObject({
      model: 'claude-sonnet-4-6',
      messages: [{ role: 'user', content: 'Which provider answers?' }],
    });
  });
});

import { ModelError, ModelRegistry } from '@llmq/core';
import { type AnthropicCompatibleServer, startAnthropicCompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as plugin from './index.ts';

let server: AnthropicCompatibleServer;
let registry: ModelRegistry;

beforeAll(async () => {
  server = await startAnthropicCompatibleServer();
  registry = new ModelRegistry();
  await registry.use('@llmq/plugin-anthropic', plugin, {
    settings: {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.baseUrl,
      LLMQ_ANTHROPIC_MODELS: JSON.stringify([
        { id: 'claude-local' },
        { id: 'claude-whole', stream: false },
      ]),
    },
  });
});

afterAll(async () => {
  await server.close();
});

/** The error a prompt fails with. */
async function failure(model: string): Promise<ModelError> {
  const error = await registry
    .get(model)
    .prompt('x')
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(ModelError);
  return error as ModelError;
}

describe('Anthropic failures as ModelErrors', () => {
  it('makes a 429 retryable, after the retry-after Anthropic gives', async () => {
    for (const model of ['claude-local', 'claude-whole']) {
      server.enqueue({
        status: 429,
        error: { message: 'Number of request tokens has exceeded your per-minute rate limit' },
        headers: { 'retry-after': '7' },
      });
      expect(await failure(model)).toMatchObject({
        retryable: true,
        status: 429,
        retryAfterMs: 7000,
        message:
          'Anthropic API error 429: Number of request tokens has exceeded your per-minute rate limit',
      });
    }
  });

  it('marks a prompt too long for the context, so a fallback may take it', async () => {
    server.enqueue({
      status: 400,
      error: { message: 'prompt is too long: 210000 tokens > 200000 maximum' },
    });
    expect(await failure('claude-local')).toMatchObject({
      retryable: false,
      status: 400,
      contextExceeded: true,
    });
    server.enqueue({ status: 400, error: { message: 'messages: roles must alternate' } });
    expect(await failure('claude-local')).toMatchObject({ contextExceeded: false });
  });

  it('makes an overload (529) and other server errors retryable', async () => {
    server.enqueue({ status: 529, error: { message: 'Overloaded' } });
    expect(await failure('claude-local')).toMatchObject({
      retryable: true,
      status: 529,
      message: 'Anthropic API error 529: Overloaded',
    });
    server.enqueue({ status: 500 });
    expect(await failure('claude-whole')).toMatchObject({ retryable: true, status: 500 });
  });

  it('makes an overloaded_error event inside a stream retryable', async () => {
    server.enqueue({
      text: 'partial answer',
      streamError: { type: 'overloaded_error', message: 'Overloaded' },
    });
    expect(await failure('claude-local')).toMatchObject({
      retryable: true,
      message: 'Anthropic response failed (overloaded_error): Overloaded',
    });
    server.enqueue({
      text: 'partial answer',
      streamError: { type: 'invalid_request_error', message: 'Bad input' },
    });
    expect((await failure('claude-local')).retryable).toBe(false);
  });

  it('makes what blames the request final, with Anthropic’s message', async () => {
    for (const [status, message] of [
      [400, 'prompt is too long: 210000 tokens > 200000 maximum'],
      [401, 'invalid x-api-key'],
      [403, 'Your API key does not have permission to use the specified resource.'],
      [404, 'model: claude-nope'],
      [413, 'Request exceeds the maximum allowed number of bytes.'],
    ] as const) {
      server.enqueue({ status, error: { message } });
      expect(await failure('claude-local')).toMatchObject({
        retryable: false,
        status,
        message: `Anthropic API error ${status}: ${message}`,
      });
    }
  });

  it('makes an unreachable server retryable', async () => {
    const gone = await startAnthropicCompatibleServer();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const offline = new ModelRegistry();
    await offline.use('@llmq/plugin-anthropic', plugin, {
      settings: {
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: baseUrl,
        LLMQ_ANTHROPIC_MODELS: '[{"id":"claude-offline"}]',
      },
    });
    const error = await offline
      .get('claude-offline')
      .prompt('x')
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/^Could not reach the Anthropic API/);
  });
});

import { ModelRegistry, OptionsError, type StreamEvent } from '@llmq/core';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';

let server: OpenAICompatibleServer;
let registry: ModelRegistry;

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        {
          id: 'local-gpt-5',
          model: 'gpt-5-mini',
          reasoning: true,
          schemas: true,
          options: ['max_completion_tokens', 'reasoning_effort', 'verbosity', 'service_tier'],
        },
        { id: 'local-o4', model: 'o4-mini', reasoning: true },
        { id: 'local-o4-whole', model: 'o4-mini', reasoning: true, stream: false },
        { id: 'local-chat', model: 'gpt-4.1-mini' },
      ]),
    },
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

async function eventsOf(
  response: AsyncIterable<string> & { events(): AsyncIterable<StreamEvent> },
) {
  const events: StreamEvent[] = [];
  for await (const event of response.events()) events.push(event);
  return events;
}

describe('reasoning models', () => {
  it('yields the streamed reasoning as reasoning events, in order, before the answer', async () => {
    server.enqueue({ reasoning: 'First think. Then answer.', text: 'The answer.' });
    const response = registry.get('local-o4').prompt('Why?');
    expect(await eventsOf(response)).toEqual([
      { type: 'reasoning', chunk: 'First ' },
      { type: 'reasoning', chunk: 'think. ' },
      { type: 'reasoning', chunk: 'Then ' },
      { type: 'reasoning', chunk: 'answer.' },
      { type: 'text', chunk: 'The ' },
      { type: 'text', chunk: 'answer.' },
    ]);
    const done = await response;
    expect(done.text()).toBe('The answer.');
  });

  it('records reasoning tokens in the usage details', async () => {
    server.enqueue({ reasoning: 'one two three', text: 'four' });
    const done = await registry.get('local-o4').prompt('count');
    expect(done.usage()).toEqual({
      input: 1,
      output: 4,
      details: { completion_tokens_details: { reasoning_tokens: 3 } },
    });
  });

  it('reads reasoning from delta.reasoning too, as OpenRouter and newer vLLM send it', async () => {
    server.enqueue({ reasoning: 'hmm', reasoningField: 'reasoning', text: 'ok' });
    const events = await eventsOf(registry.get('local-o4').prompt('x'));
    expect(events).toEqual([
      { type: 'reasoning', chunk: 'hmm' },
      { type: 'text', chunk: 'ok' },
    ]);
  });

  it('yields the reasoning of a whole (not streamed) answer before its text', async () => {
    server.enqueue({ reasoning: 'Let me see.', text: 'Seen.' });
    const events = await eventsOf(registry.get('local-o4-whole').prompt('x'));
    expect(events).toEqual([
      { type: 'reasoning', chunk: 'Let me see.' },
      { type: 'text', chunk: 'Seen.' },
    ]);
    expect(lastBody().stream).toBeUndefined();
  });

  it('refuses max_tokens for a reasoning model, naming max_completion_tokens, sending nothing', () => {
    const attempt = () => registry.get('local-o4').prompt('x', { options: { max_tokens: 50 } });
    expect(attempt).toThrow(OptionsError);
    expect(attempt).toThrow(
      "Option 'max_tokens' is not supported by local-o4, a reasoning model; use max_completion_tokens instead",
    );
    expect(server.requests).toHaveLength(0);
  });

  it('reports max_tokens with the other bad options of the same prompt', () => {
    const error = (() => {
      try {
        registry.get('local-o4').prompt('x', { options: { max_tokens: 50, temperature: 0.2 } });
      } catch (caught) {
        return caught as OptionsError;
      }
    })();
    expect(error?.issues.map((issue) => issue.path)).toEqual(['max_tokens', 'temperature']);
    expect(error?.message).toMatch(/Unknown option 'temperature' for model local-o4/);
  });

  it('sends max_completion_tokens and never max_tokens to a reasoning model', async () => {
    await registry.get('local-o4').prompt('x', { options: { max_completion_tokens: 500 } });
    expect(lastBody()).toEqual({
      model: 'o4-mini',
      messages: [{ role: 'user', content: 'x' }],
      max_completion_tokens: 500,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('sends reasoning_effort, verbosity and service_tier when they are given', async () => {
    await registry.get('local-gpt-5').prompt('x', {
      options: {
        reasoning_effort: 'minimal',
        verbosity: 'low',
        service_tier: 'flex',
        max_completion_tokens: 100,
      },
    });
    expect(lastBody()).toMatchObject({
      model: 'gpt-5-mini',
      reasoning_effort: 'minimal',
      verbosity: 'low',
      service_tier: 'flex',
      max_completion_tokens: 100,
    });
    expect(lastBody()).not.toHaveProperty('max_tokens');
  });

  it('refuses verbosity for a reasoning model whose configuration does not offer it', () => {
    expect(() => registry.get('local-o4').prompt('x', { options: { verbosity: 'low' } })).toThrow(
      /Unknown option 'verbosity' for model local-o4; it accepts: max_completion_tokens, reasoning_effort, json_object, service_tier/,
    );
  });
});

describe('chat models', () => {
  it('send max_tokens as given, max_completion_tokens and service_tier', async () => {
    await registry.get('local-chat').prompt('x', {
      options: { max_tokens: 20, max_completion_tokens: 30, service_tier: 'priority' },
    });
    expect(lastBody()).toMatchObject({
      max_tokens: 20,
      max_completion_tokens: 30,
      service_tier: 'priority',
    });
  });

  it('refuse reasoning options', () => {
    expect(() =>
      registry.get('local-chat').prompt('x', { options: { reasoning_effort: 'high' } }),
    ).toThrow(/Unknown option 'reasoning_effort' for model local-chat/);
  });

  it('stream no reasoning events when the server sends none', async () => {
    server.enqueue({ text: 'plain answer' });
    const events = await eventsOf(registry.get('local-chat').prompt('x'));
    expect(events.every((event) => event.type === 'text')).toBe(true);
  });
});

describe('the local server, as the real API', () => {
  const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: server.baseUrl, maxRetries: 0 });
  const refusal = async (
    request: OpenAI.ChatCompletionCreateParamsNonStreaming,
  ): Promise<APIError> => {
    const error = await client()
      .chat.completions.create(request)
      .then(() => undefined)
      .catch((caught: unknown) => caught);
    if (!(error instanceof APIError)) throw new Error(`expected an APIError, got ${error}`);
    return error;
  };

  it('answers 400 with OpenAI’s error body to max_tokens for a reasoning model', async () => {
    const error = await refusal({
      model: 'o3',
      messages: [{ role: 'user', content: 'x' }],
      max_tokens: 10,
    });
    expect(error.status).toBe(400);
    expect(error.error).toEqual({
      message:
        "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
      type: 'invalid_request_error',
      param: 'max_tokens',
      code: 'unsupported_parameter',
    });
  });

  it('answers 400 to a temperature other than 1 for a reasoning model, and to reasoning_effort for others', async () => {
    const temperature = await refusal({
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
    });
    expect(temperature).toMatchObject({ status: 400, param: 'temperature' });
    const effort = await refusal({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      reasoning_effort: 'low',
    });
    expect(effort).toMatchObject({ status: 400, param: 'reasoning_effort' });
  });
});

import { Attachment, ModelError, ModelRegistry, NeedsKeyError } from '@llmq/core';
import {
  type OpenAICompatibleServer,
  sampleFiles,
  startOpenAICompatibleServer,
} from '@llmq/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';

let server: OpenAICompatibleServer;
let registry: ModelRegistry;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'local-vision', model: 'llava', aliases: ['lv'], vision: true },
        { id: 'local-audio', audio: true },
        { id: 'local-text', stream: false },
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

describe('OpenAI chat models against an OpenAI-compatible server', () => {
  it('streams the answer, asking for usage in the stream, with the key as bearer token', async () => {
    server.enqueue({ text: 'Hello there friend', chunks: ['Hello', ' there', ' friend'] });
    const response = registry.get('lv').prompt('Say hello');
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    expect(chunks).toEqual(['Hello', ' there', ' friend']);
    expect(lastBody()).toEqual({
      model: 'llava',
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test');
    const done = await response;
    expect(done.usage()).toEqual({ input: 2, output: 3, details: null });
    expect(done.json()).toMatchObject({
      content: 'Hello there friend',
      finish_reason: 'stop',
      model: 'llava',
      usage: { prompt_tokens: 2, completion_tokens: 3 },
    });
  });

  it('keeps the non-zero usage fields as details', async () => {
    server.enqueue({
      text: 'hm',
      usage: {
        prompt_tokens: 10,
        completion_tokens: 20,
        total_tokens: 30,
        prompt_tokens_details: { cached_tokens: 4, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
      },
    });
    const done = await registry.get('local-vision').prompt('think');
    expect(done.usage()).toEqual({
      input: 10,
      output: 20,
      details: { prompt_tokens_details: { cached_tokens: 4 } },
    });
  });

  it('asks without streaming when the model or the caller says so', async () => {
    server.enqueue({ text: 'whole answer' });
    const done = await registry.get('local-text').prompt('x');
    expect(done.chunks()).toEqual(['whole answer']);
    expect(lastBody()).toEqual({ model: 'local-text', messages: [{ role: 'user', content: 'x' }] });
    expect(done.json()).toMatchObject({ object: 'chat.completion', model: 'local-text' });
    server.enqueue({ text: 'also whole' });
    await registry.get('local-vision').prompt('y', { stream: false });
    expect(lastBody().stream).toBeUndefined();
  });

  it('records the resolved model when the server names another one', async () => {
    server.enqueue({ text: 'ok', model: 'llava-1.6-34b' });
    const done = await registry.get('local-vision').prompt('x');
    expect(done.resolvedModel).toBe('llava-1.6-34b');
  });

  it('sends the system prompt first and maps options to request fields', async () => {
    await registry.get('local-vision').prompt('x', {
      system: 'You are terse.',
      options: {
        temperature: 0.2,
        max_tokens: 50,
        top_p: 0.9,
        stop: ['END'],
        seed: 7,
        json_object: true,
      },
    });
    expect(lastBody()).toMatchObject({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', content: 'x' },
      ],
      temperature: 0.2,
      max_tokens: 50,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      response_format: { type: 'json_object' },
    });
    expect(lastBody()).not.toHaveProperty('json_object');
  });

  it('sends an image by its URL, and bytes as a data: URL, after the text', async () => {
    const byUrl = new Attachment({ url: 'https://example.com/cat.jpg', type: 'image/jpeg' });
    const byBytes = new Attachment({ content: sampleFiles.png });
    await registry.get('local-vision').prompt('compare', { attachments: [byUrl, byBytes] });
    expect(lastBody().messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'compare' },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
          {
            type: 'image_url',
            image_url: { url: `data:image/png;base64,${base64(sampleFiles.png)}` },
          },
        ],
      },
    ]);
  });

  it('sends WAV and MP3 audio as base64 input_audio with their formats', async () => {
    await registry.get('local-audio').prompt(undefined, {
      attachments: [
        new Attachment({ content: sampleFiles.wav }),
        new Attachment({ content: sampleFiles.mp3 }),
      ],
    });
    expect(lastBody().messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_audio', input_audio: { data: base64(sampleFiles.wav), format: 'wav' } },
          { type: 'input_audio', input_audio: { data: base64(sampleFiles.mp3), format: 'mp3' } },
        ],
      },
    ]);
  });

  it('replays a three-turn conversation with the first turn’s image every time', async () => {
    server.enqueue({ text: 'A red square.' }, { text: 'Red.' }, { text: 'Square.' });
    const conversation = registry.get('local-vision').conversation();
    const image = new Attachment({ content: sampleFiles.png });
    const imagePart = {
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${base64(sampleFiles.png)}` },
    };
    await conversation.prompt('What is this?', { system: 'Be brief.', attachments: [image] });
    await conversation.prompt('What colour?');
    await conversation.prompt('What shape?');
    const sent = server.requests.map((request) => (request.body as { messages: unknown }).messages);
    const firstTurn = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, imagePart] },
    ];
    expect(sent[0]).toEqual(firstTurn);
    expect(sent[1]).toEqual([
      ...firstTurn,
      { role: 'assistant', content: 'A red square.' },
      { role: 'user', content: 'What colour?' },
    ]);
    expect(sent[2]).toEqual([
      ...firstTurn,
      { role: 'assistant', content: 'A red square.' },
      { role: 'user', content: 'What colour?' },
      { role: 'assistant', content: 'Red.' },
      { role: 'user', content: 'What shape?' },
    ]);
  });
});

describe('OpenAI errors', () => {
  const failure = async (reply: Parameters<OpenAICompatibleServer['enqueue']>[0]) => {
    server.enqueue(reply);
    return (await registry
      .get('local-vision')
      .prompt('x')
      .text()
      .catch((error: unknown) => error)) as ModelError;
  };

  it('turns a 429 into a retryable ModelError carrying Retry-After', async () => {
    const error = await failure({
      status: 429,
      error: { message: 'Rate limit reached', type: 'requests' },
      headers: { 'retry-after': '7' },
    });
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ retryable: true, status: 429, retryAfterMs: 7000 });
    expect(error.message).toBe('OpenAI API error 429: Rate limit reached');
  });

  it('turns a 5xx into a retryable ModelError', async () => {
    const error = await failure({
      status: 503,
      error: { message: 'Overloaded', type: 'server_error' },
    });
    expect(error).toMatchObject({ retryable: true, status: 503 });
  });

  it.each([
    [400, 'Invalid value for temperature'],
    [401, 'Incorrect API key provided'],
    [404, 'The model `nope` does not exist'],
  ])('turns a %i into a final ModelError with the provider message', async (status, message) => {
    const error = await failure({ status, error: { message } });
    expect(error).toMatchObject({ retryable: false, status });
    expect(error.message).toBe(`OpenAI API error ${status}: ${message}`);
  });

  it('turns a connection failure into a retryable ModelError', async () => {
    const offline = new ModelRegistry();
    registerModels(offline.register, {
      settings: { OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    const error = await offline
      .get('gpt-4o-mini')
      .prompt('x')
      .text()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).retryable).toBe(true);
  });

  it('turns a dropped stream into a retryable ModelError', async () => {
    const error = await failure({ text: 'one two three', disconnectAfterChunks: 1 });
    expect(error).toBeInstanceOf(ModelError);
    expect(error.retryable).toBe(true);
  });

  it('raises NeedsKeyError saying where the key goes when no key is configured', async () => {
    const keyless = new ModelRegistry();
    registerModels(keyless.register, { settings: { OPENAI_BASE_URL: server.baseUrl } });
    const error = await keyless
      .get('4o-mini')
      .prompt('x')
      .text()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NeedsKeyError);
    expect((error as Error).message).toBe(
      'No key found for model gpt-4o-mini: an admin stores it with `llmq provider-keys set openai` or PUT /v1/provider-keys/openai, or set OPENAI_API_KEY on the server and its workers',
    );
  });

  it('calls with the key given for the call, a new one as soon as it changes', async () => {
    const keyless = new ModelRegistry();
    registerModels(keyless.register, { settings: { OPENAI_BASE_URL: server.baseUrl } });
    const model = keyless.get('4o-mini');
    await model.prompt('x', { key: 'sk-stored-1' }).text();
    await model.prompt('x', { key: 'sk-stored-2' }).text();
    expect(server.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer sk-stored-1',
      'Bearer sk-stored-2',
    ]);
  });

  it('aborts the request when the signal fires, surfacing the abort reason', async () => {
    server.enqueue({ text: 'a b c d e f', chunkDelayMs: 200 });
    const controller = new AbortController();
    const response = registry.get('local-vision').prompt('x', { signal: controller.signal });
    const iterator = response[Symbol.asyncIterator]();
    await iterator.next();
    controller.abort(new Error('cancelled'));
    await expect(response.text()).rejects.toThrow('cancelled');
  });
});

import {
  Attachment,
  assistantMessage,
  ModelError,
  ModelRegistry,
  OptionsError,
  type StreamEvent,
  type Tool,
  userMessage,
} from '@llmq/core';
import {
  type OpenAICompatibleServer,
  sampleFiles,
  startOpenAICompatibleServer,
} from '@llmq/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';

let server: OpenAICompatibleServer;
let registry: ModelRegistry;

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const weather: Tool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const time: Tool = {
  name: 'get_time',
  inputSchema: { type: 'object', properties: { zone: { type: 'string' } } },
};

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  registry = new ModelRegistry();
  const chat = { vision: true, schemas: true, tools: true, api: 'responses' };
  const reasoning = { ...chat, model: 'o4-mini', reasoning: true };
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { ...chat, id: 'r-mini', model: 'gpt-4.1-mini' },
        { ...chat, id: 'r-mini-whole', model: 'gpt-4.1-mini', stream: false },
        { ...reasoning, id: 'r-o4' },
        { ...reasoning, id: 'r-o4-whole', stream: false },
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

async function eventsOf(response: { events(): AsyncIterable<StreamEvent> }) {
  const events: StreamEvent[] = [];
  for await (const event of response.events()) events.push(event);
  return events;
}

describe('OpenAI models over the Responses API', () => {
  it('streams text from /v1/responses, the system prompt as instructions, nothing stored', async () => {
    server.enqueue({ text: 'Hello there friend', chunks: ['Hello', ' there', ' friend'] });
    const response = registry.get('r-mini').prompt('Say hello', { system: 'Be warm.' });
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    expect(chunks).toEqual(['Hello', ' there', ' friend']);
    expect(server.requests.at(-1)?.path).toBe('/v1/responses');
    expect(lastBody()).toEqual({
      model: 'gpt-4.1-mini',
      instructions: 'Be warm.',
      input: [{ role: 'user', content: 'Say hello' }],
      store: false,
      stream: true,
    });
    const done = await response;
    expect(done.usage()).toEqual({ input: 4, output: 3, details: null });
    expect(done.json()).toEqual({
      id: expect.stringMatching(/^resp_/),
      object: 'response',
      model: 'gpt-4.1-mini',
      status: 'completed',
      output: [],
      usage: {
        input_tokens: 4,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 7,
      },
    });
    expect(String(registry.get('r-mini'))).toBe('OpenAI Responses: r-mini');
  });

  it('gives the same text and usage whole as streamed', async () => {
    const text = 'One answer, streamed or not.';
    server.enqueue({ text }, { text });
    const streamed = await registry.get('r-mini').prompt('x');
    const whole = await registry.get('r-mini-whole').prompt('x');
    expect(whole.text()).toBe(streamed.text());
    expect(whole.chunks()).toEqual([text]);
    expect(whole.usage()).toEqual(streamed.usage());
    expect(lastBody()).toEqual({
      model: 'gpt-4.1-mini',
      input: [{ role: 'user', content: 'x' }],
      store: false,
    });
  });

  it('maps the options to Responses fields and refuses those it has no field for', async () => {
    await registry.get('r-mini').prompt('x', {
      options: { temperature: 0.2, max_tokens: 50, top_p: 0.9, json_object: true },
    });
    expect(lastBody()).toEqual({
      model: 'gpt-4.1-mini',
      input: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
      max_output_tokens: 50,
      top_p: 0.9,
      text: { format: { type: 'json_object' } },
      store: false,
      stream: true,
    });
    for (const options of [{ stop: ['END'] }, { seed: 1 }, { presence_penalty: 1 }]) {
      expect(() => registry.get('r-mini').prompt('x', { options })).toThrow(OptionsError);
    }
  });

  it('sends an image as input_image and a PDF as input_file, with data URLs', async () => {
    const image = new Attachment({ content: sampleFiles.png });
    const pdf = new Attachment({ content: sampleFiles.pdf });
    const linked = new Attachment({ type: 'image/jpeg', url: 'https://example.com/cat.jpg' });
    await registry.get('r-mini').prompt('Describe these', { attachments: [image, pdf, linked] });
    expect(lastBody().input).toEqual([
      {
        role: 'user',
        content: [
          { type: 'input_text', text: 'Describe these' },
          {
            type: 'input_image',
            image_url: `data:image/png;base64,${base64(sampleFiles.png)}`,
            detail: 'auto',
          },
          {
            type: 'input_file',
            filename: `${await pdf.id()}.pdf`,
            file_data: `data:application/pdf;base64,${base64(sampleFiles.pdf)}`,
          },
          { type: 'input_image', image_url: 'https://example.com/cat.jpg', detail: 'auto' },
        ],
      },
    ]);
  });

  it('asks for a schema as text.format, strict when the schema allows it', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'age'],
    };
    const done = await registry.get('r-mini').prompt('invent a dog', { schema });
    expect(lastBody().text).toEqual({
      format: {
        type: 'json_schema',
        name: 'output',
        schema: { ...schema, additionalProperties: false },
        strict: true,
      },
    });
    expect(JSON.parse(done.text())).toEqual({ name: 'example', age: 0 });
    const loose = { type: 'object', properties: { name: { type: 'string' } } };
    await registry.get('r-mini').prompt('{"name":"Rex"}', { schema: loose });
    expect(lastBody().text).toEqual({
      format: { type: 'json_schema', name: 'output', schema: loose, strict: false },
    });
  });
});

describe('reasoning over the Responses API', () => {
  it('streams the reasoning summary as reasoning events and counts reasoning tokens', async () => {
    server.enqueue({ reasoning: 'First think.\n\nThen answer.', text: 'The answer.' });
    const response = registry.get('r-o4').prompt('Why?', { options: { reasoning_effort: 'low' } });
    expect(await eventsOf(response)).toEqual([
      { type: 'reasoning', chunk: 'First ' },
      { type: 'reasoning', chunk: 'think.' },
      { type: 'reasoning', chunk: '\n\n' },
      { type: 'reasoning', chunk: 'Then ' },
      { type: 'reasoning', chunk: 'answer.' },
      { type: 'text', chunk: 'The ' },
      { type: 'text', chunk: 'answer.' },
    ]);
    expect(lastBody()).toEqual({
      model: 'o4-mini',
      input: [{ role: 'user', content: 'Why?' }],
      reasoning: { effort: 'low', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      store: false,
      stream: true,
    });
    const done = await response;
    expect(done.reasoning()).toBe('First think.\n\nThen answer.');
    expect(done.usage()).toEqual({
      input: 1,
      output: 6,
      details: { output_tokens_details: { reasoning_tokens: 4 } },
    });
  });

  it('sends the encrypted reasoning of the turn before back, ahead of its answer', async () => {
    server.enqueue({ reasoning: 'Paris is the capital.', text: 'Paris.' });
    const first = await registry.get('r-o4').prompt('Capital of France?');
    const stored = first.json() as { output: Record<string, unknown>[] };
    expect(stored.output).toEqual([
      {
        type: 'reasoning',
        id: expect.stringMatching(/^rs_/),
        summary: [{ type: 'summary_text', text: 'Paris is the capital.' }],
        encrypted_content: expect.stringMatching(/^gAAAAA/),
      },
    ]);
    // As the engine replays a stored turn: its payload rides on its assistant message.
    const history = [
      userMessage('Capital of France?'),
      assistantMessage(first.text(), [], JSON.parse(JSON.stringify(first.json()))),
    ];
    const second = await registry.get('r-o4-whole').prompt('And of Italy?', { history });
    expect(lastBody()).toEqual({
      model: 'o4-mini',
      input: [
        { role: 'user', content: 'Capital of France?' },
        stored.output[0],
        { role: 'assistant', content: 'Paris.' },
        { role: 'user', content: 'And of Italy?' },
      ],
      reasoning: { summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      store: false,
    });
    expect(second.reasoning()).toBe('The user asks a question. I will answer it briefly.');
    // A model that does not reason is not sent reasoning it could not read.
    await registry.get('r-mini').prompt('And of Spain?', { history });
    expect(lastBody().input).toEqual([
      { role: 'user', content: 'Capital of France?' },
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And of Spain?' },
    ]);
  });

  it('keeps cached and reasoning tokens as usage details', async () => {
    server.enqueue({
      text: 'hm',
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 20,
        output_tokens_details: { reasoning_tokens: 7 },
        total_tokens: 30,
      },
    });
    const done = await registry.get('r-o4').prompt('think');
    expect(done.usage()).toEqual({
      input: 10,
      output: 20,
      details: {
        input_tokens_details: { cached_tokens: 4 },
        output_tokens_details: { reasoning_tokens: 7 },
      },
    });
  });
});

describe('tools over the Responses API', () => {
  it('sends tools as strict functions where it can and turns function calls into tool calls', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_t', name: 'get_time', arguments: {} },
      ],
    });
    const response = registry.get('r-mini').prompt('Weather and time in Paris?', {
      tools: [weather, time],
      options: { tool_choice: { type: 'function', function: { name: 'get_weather' } } },
    });
    expect(await eventsOf(response)).toEqual([
      {
        type: 'tool_call',
        call: { id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } },
      },
      { type: 'tool_call', call: { id: 'call_t', name: 'get_time', arguments: {} } },
    ]);
    expect(lastBody()).toEqual({
      model: 'gpt-4.1-mini',
      input: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [
        {
          type: 'function',
          name: 'get_weather',
          description: 'The weather in a city.',
          parameters: { ...weather.inputSchema, additionalProperties: false },
          strict: true,
        },
        { type: 'function', name: 'get_time', parameters: time.inputSchema, strict: false },
      ],
      tool_choice: { type: 'function', name: 'get_weather' },
      store: false,
      stream: true,
    });
    const done = await response;
    expect((done.json() as { output: unknown[] }).output).toEqual([
      {
        type: 'function_call',
        id: 'fc_call_w',
        call_id: 'call_w',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      {
        type: 'function_call',
        id: 'fc_call_t',
        call_id: 'call_t',
        name: 'get_time',
        arguments: '{}',
      },
    ]);

    const history = [
      userMessage('Weather and time in Paris?'),
      assistantMessage(done.text(), done.toolCalls(), done.json()),
    ];
    const answer = await registry.get('r-mini-whole').prompt('', {
      history,
      tools: [weather, time],
      toolResults: [
        { toolCallId: 'call_w', name: 'get_weather', output: 'Sunny' },
        { toolCallId: 'call_t', name: 'get_time', output: 'noon' },
      ],
    });
    expect(lastBody().input).toEqual([
      { role: 'user', content: 'Weather and time in Paris?' },
      {
        type: 'function_call',
        call_id: 'call_w',
        name: 'get_weather',
        arguments: '{"city":"Paris"}',
      },
      { type: 'function_call', call_id: 'call_t', name: 'get_time', arguments: '{}' },
      { type: 'function_call_output', call_id: 'call_w', output: 'Sunny' },
      { type: 'function_call_output', call_id: 'call_t', output: 'noon' },
    ]);
    expect(answer.text()).toBe('Tool results: get_weather: Sunny; get_time: noon');
  });

  it('gives the calls of a whole answer too, with the text before them', async () => {
    server.enqueue({
      text: 'Checking.',
      toolCalls: [{ id: 'call_x', name: 'get_weather', arguments: { city: 'Rome' } }],
    });
    const events = await eventsOf(
      registry.get('r-mini-whole').prompt('Rome?', { tools: [weather] }),
    );
    expect(events).toEqual([
      { type: 'text', chunk: 'Checking.' },
      {
        type: 'tool_call',
        call: { id: 'call_x', name: 'get_weather', arguments: { city: 'Rome' } },
      },
    ]);
  });

  it('fails for good when a call’s arguments are not a JSON object', async () => {
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '[1]' }] });
    const error = await registry
      .get('r-mini')
      .prompt('x', { tools: [weather] })
      .text()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toContain('not a JSON object: [1]');
  });
});

describe('Responses API failures', () => {
  it('maps response.failed to a ModelError, retryable as its code says', async () => {
    server.enqueue(
      { failure: { code: 'server_error', message: 'The server had an error.' } },
      { failure: { code: 'invalid_prompt', message: 'Bad prompt.' } },
    );
    const overloaded = await registry
      .get('r-mini')
      .prompt('x')
      .text()
      .catch((caught) => caught);
    expect(overloaded).toBeInstanceOf(ModelError);
    expect(overloaded).toMatchObject({
      retryable: true,
      message: 'OpenAI response failed (server_error): The server had an error.',
    });
    const refused = await registry
      .get('r-mini-whole')
      .prompt('x')
      .text()
      .catch((caught) => caught);
    expect(refused).toMatchObject({
      retryable: false,
      message: 'OpenAI response failed (invalid_prompt): Bad prompt.',
    });
  });

  it('fails retryably when the stream is cut before response.completed', async () => {
    server.enqueue({ text: 'one two three', disconnectAfterChunks: 1 });
    const error = await registry
      .get('r-mini')
      .prompt('x')
      .text()
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ retryable: true });
  });

  it('maps HTTP errors as on the chat path', async () => {
    server.enqueue({
      status: 429,
      error: { message: 'Slow down', type: 'requests', code: 'rate_limit_exceeded' },
      headers: { 'retry-after': '2' },
    });
    const error = await registry
      .get('r-mini')
      .prompt('x')
      .text()
      .catch((caught) => caught);
    expect(error).toMatchObject({
      retryable: true,
      status: 429,
      retryAfterMs: 2000,
      message: 'OpenAI API error 429: Slow down',
    });
  });
});

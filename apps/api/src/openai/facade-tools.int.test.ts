import { countRowsByTable } from '@llmq/db/reads';
import OpenAI from 'openai';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-facade-tools';
const api = useApi({
  adminKeys: [adminKey],
  pluginSettings: {
    LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'local-tools', model: 'gpt-4.1', tools: true }]),
  },
});

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});
beforeEach(() => {
  api().openai.requests.length = 0;
});

const weatherParameters = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
};
const timeParameters = { type: 'object', properties: { zone: { type: 'string' } } };

/** The chat bodies the local OpenAI-compatible server received. */
const upstreamBodies = () =>
  api().openai.requests.map((request) => request.body as Record<string, unknown>);

/** A raw chat completion request, as a client other than the SDK sends it. */
function postChat(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${api().baseUrl}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${adminKey}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

describe('OpenAI facade: tools', () => {
  for (const stream of [true, false]) {
    it(`completes a two-tool conversation with the SDK’s runTools against the OpenAI plugin (${stream ? 'streamed' : 'whole'})`, async () => {
      api().openai.enqueue({
        toolCalls: [
          { id: 'call_w', name: 'get_weather', arguments: { city: 'Lisbon' } },
          { id: 'call_t', name: 'get_time', arguments: { zone: 'WET' } },
        ],
      });
      const invoked: string[] = [];
      const runner = openai.chat.completions.runTools({
        model: 'local-tools',
        stream,
        messages: [{ role: 'user', content: 'Weather and time in Lisbon?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'The weather in a city.',
              parameters: weatherParameters,
              parse: JSON.parse,
              function: (args: { city: string }) => {
                invoked.push(`weather ${args.city}`);
                return 'sunny';
              },
            },
          },
          {
            type: 'function',
            function: {
              name: 'get_time',
              parameters: timeParameters,
              parse: JSON.parse,
              function: (args: { zone: string }) => {
                invoked.push(`time ${args.zone}`);
                return '09:30';
              },
            },
          },
        ],
      } as Parameters<typeof openai.chat.completions.runTools>[0]);
      expect(await runner.finalContent()).toBe('Tool results: get_weather: sunny; get_time: 09:30');
      expect(invoked).toEqual(['weather Lisbon', 'time WET']);
      const bodies = upstreamBodies();
      expect(bodies).toHaveLength(2);
      expect(bodies[0]?.tools).toEqual([
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather in a city.',
            parameters: weatherParameters,
          },
        },
        { type: 'function', function: { name: 'get_time', parameters: timeParameters } },
      ]);
      expect(bodies[1]?.messages).toEqual([
        { role: 'user', content: 'Weather and time in Lisbon?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_w',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Lisbon"}' },
            },
            {
              id: 'call_t',
              type: 'function',
              function: { name: 'get_time', arguments: '{"zone":"WET"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_w', content: 'sunny' },
        { role: 'tool', tool_call_id: 'call_t', content: '09:30' },
      ]);
    });
  }

  it('streams calls in OpenAI’s exact chunk format, ending with finish_reason tool_calls', async () => {
    const answer = await postChat({
      model: 'echo',
      stream: true,
      messages: [
        {
          role: 'user',
          content: JSON.stringify({
            tool_calls: [{ id: 'c1', name: 'now', arguments: { zone: 'UTC', format: 'iso' } }],
          }),
        },
      ],
      tools: [{ type: 'function', function: { name: 'now' } }],
    });
    expect(answer.status).toBe(200);
    const data = (await answer.text())
      .split('\n\n')
      .filter((frame) => frame.startsWith('data: '))
      .map((frame) => frame.slice('data: '.length));
    expect(data.at(-1)).toBe('[DONE]');
    const choices = data.slice(0, -1).map((each) => JSON.parse(each).choices[0]);
    expect(choices).toEqual([
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [
            { index: 0, id: 'c1', type: 'function', function: { name: 'now', arguments: '' } },
          ],
        },
        logprobs: null,
        finish_reason: null,
      },
      {
        index: 0,
        delta: {
          tool_calls: [{ index: 0, function: { arguments: '{"zone":"UTC","format":"iso"}' } }],
        },
        logprobs: null,
        finish_reason: null,
      },
      { index: 0, delta: {}, logprobs: null, finish_reason: 'tool_calls' },
    ]);
  });

  it('answers echo’s client-tool calls whole as message.tool_calls, and takes their results back', async () => {
    const tools = [
      { type: 'function' as const, function: { name: 'add', parameters: { type: 'object' } } },
    ];
    const asked = JSON.stringify({ tool_calls: [{ name: 'add', arguments: { a: 1, b: 2 } }] });
    const first = await openai.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: asked }],
      tools,
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.any(String),
        type: 'function',
        function: { name: 'add', arguments: '{"a":1,"b":2}' },
      },
    ]);
    const callId = choice?.message.tool_calls?.[0]?.id ?? '';
    const second = await openai.chat.completions.create({
      model: 'echo',
      messages: [
        { role: 'user', content: asked },
        choice?.message as OpenAI.ChatCompletionMessageParam,
        { role: 'tool', tool_call_id: callId, content: '3' },
      ],
      tools,
    });
    expect(second.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.parse(second.choices[0]?.message.content ?? '{}')).toMatchObject({
      tool_results: [{ name: 'add', output: '3', tool_call_id: callId }],
    });
  });

  it('passes tool_choice and parallel_tool_calls through to the model', async () => {
    const completion = await openai.chat.completions.create({
      model: 'local-tools',
      messages: [{ role: 'user', content: 'What time is it?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: weatherParameters } },
        { type: 'function', function: { name: 'get_time', parameters: timeParameters } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_time' } },
      parallel_tool_calls: false,
    });
    expect(completion.choices[0]?.message.content).toBe('ok');
    expect(upstreamBodies()[0]).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'get_time' } },
      parallel_tool_calls: false,
    });
  });

  it('refuses a bad history in OpenAI’s error shape before storing anything', async () => {
    const before = await countRowsByTable(api().deps.services.db);
    const orphan = await postChat({
      model: 'local-tools',
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'tool', tool_call_id: 'call_nobody', content: 'sunny' },
      ],
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
    });
    expect(orphan.status).toBe(400);
    expect(await orphan.json()).toEqual({
      error: {
        message: expect.stringMatching(/call_nobody/),
        type: 'invalid_request_error',
        param: 'messages[1].tool_call_id',
        code: 'invalid_request',
      },
    });
    const badArguments = await openai.chat.completions
      .create({
        model: 'local-tools',
        messages: [
          { role: 'user', content: 'Hi' },
          {
            role: 'assistant',
            tool_calls: [
              { id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{' } },
            ],
          },
          { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(badArguments).toBeInstanceOf(OpenAI.BadRequestError);
    expect((badArguments as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(
      'messages[1].tool_calls[0].function.arguments',
    );
    expect(await countRowsByTable(api().deps.services.db)).toEqual(before);
    expect(upstreamBodies()).toEqual([]);
  });
});

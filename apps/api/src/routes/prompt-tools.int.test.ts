import { AsyncModel } from '@llmq/core';
import { countRowsByTable } from '@llmq/db/reads';
import { testTools } from '@llmq/testing';
import { createParser } from 'eventsource-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemOf, useApi } from '../server/api.fixture.ts';

const api = useApi();

/** A model without tools: what a prompt with tools must be refused for. */
class TextOnlyModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'text-only';
  readonly optionsSchema = z.object({});
  async *execute(): AsyncGenerator<string, void, undefined> {
    yield 'text';
  }
}

beforeAll(() => {
  const { services } = api();
  const register = services.models.tools.registerFor('test-tools');
  for (const tool of testTools({})) register(tool);
  services.models.register(new TextOnlyModel());
});

interface Frame {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${api().baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
}

async function follow(id: string): Promise<Frame[]> {
  const response = await fetch(`${api().baseUrl}/v1/prompts/${id}/stream`);
  const frames: Frame[] = [];
  const parser = createParser({
    onEvent: (message) =>
      frames.push({ event: message.event ?? 'message', data: JSON.parse(message.data) }),
  });
  const decoder = new TextDecoder();
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(bytes, { stream: true }));
  }
  return frames;
}

async function writesNothing(action: () => Promise<void>): Promise<void> {
  const { services } = api();
  const before = await countRowsByTable(services.database.db);
  await action();
  expect(await countRowsByTable(services.database.db)).toEqual(before);
}

type Prompt = Record<string, unknown> & {
  id: string;
  conversation_id: string;
  chain: { steps?: string[]; text?: string } | null;
};

const steps = JSON.stringify({
  tool_calls: [
    [{ name: 'add', arguments: { a: 20, b: 22 } }],
    [{ name: 'fail', arguments: { message: 'out of paper' } }],
  ],
});

describe('prompts with server tools over HTTP', () => {
  it('streams each step, call and result, and shows the chain on the prompt', async () => {
    const accepted = await json<{ id: string }>(
      await post('/v1/prompts', { prompt: steps, tools: ['add', 'fail'] }),
      202,
    );
    const frames = await follow(accepted.id);
    const tools = frames.filter((frame) => frame.event.startsWith('tool_'));
    expect(tools.map((frame) => [frame.event, frame.data.step])).toEqual([
      ['tool_call', 1],
      ['tool_result', 2],
      ['tool_call', 2],
      ['tool_result', 3],
    ]);
    expect(tools[1]?.data.result).toEqual({
      tool_call_id: 'echo-call-1',
      name: 'add',
      output: '42',
      exception: null,
    });
    expect(tools[3]?.data.result).toMatchObject({
      output: 'Error: out of paper',
      exception: 'Error: out of paper',
    });
    const done = frames.at(-1);
    expect(done).toMatchObject({ event: 'done', data: { steps: 3, finish_reason: 'stop' } });
    const streamed = frames
      .map((frame) => (frame.event === 'chunk' ? frame.data.text : ''))
      .join('');
    const prompt = await json<Prompt>(
      await fetch(`${api().baseUrl}/v1/prompts/${accepted.id}`),
      200,
    );
    expect(prompt).toMatchObject({
      status: 'succeeded',
      finish_reason: 'stop',
      tool_calls: [{ id: 'echo-call-1', name: 'add', arguments: { a: 20, b: 22 } }],
      tools: [
        { name: 'add', runs_on_server: true, description: 'Add two integers.' },
        { name: 'fail', runs_on_server: true },
      ],
      chain: { id: accepted.id, step: 1, limit: 5 },
    });
    expect(prompt.chain?.steps).toHaveLength(3);
    expect(prompt.chain?.text).toBe(streamed);
    const secondStep = await json<Prompt>(
      await fetch(`${api().baseUrl}/v1/prompts/${prompt.chain?.steps?.[1]}`),
      200,
    );
    expect(secondStep).toMatchObject({
      chain: { id: accepted.id, step: 2 },
      tool_results: [{ tool_call_id: 'echo-call-1', output: '42' }],
      tool_calls: [{ name: 'fail' }],
    });
    // The conversation lists every step as a turn of its own, as llm logs them.
    const conversation = await json<{ turns: unknown[] }>(
      await fetch(`${api().baseUrl}/v1/conversations/${prompt.conversation_id}`),
      200,
    );
    expect(conversation.turns).toHaveLength(3);
  });

  it('fails a chain past its chain_limit with the reason in the stream and on the prompt', async () => {
    const accepted = await json<{ id: string }>(
      await post('/v1/prompts', { prompt: steps, tools: ['add', 'fail'], chain_limit: 1 }),
      202,
    );
    const frames = await follow(accepted.id);
    expect(frames.at(-1)).toMatchObject({
      event: 'error',
      data: {
        status: 'failed',
        error: { kind: 'ChainLimitError', message: 'Chain limit of 1 exceeded.' },
      },
    });
    const prompt = await json<Prompt>(
      await fetch(`${api().baseUrl}/v1/prompts/${accepted.id}`),
      200,
    );
    expect(prompt).toMatchObject({
      status: 'failed',
      error: { kind: 'ChainLimitError', message: 'Chain limit of 1 exceeded.' },
    });
  });
});

describe('a chain after its log', () => {
  it('streams a chain whose log expired from its stored steps, ending as the chain did', async () => {
    const lookup = { name: 'lookup', input_schema: { type: 'object' } };
    const accepted = await json<Prompt>(
      await post('/v1/prompts?wait=true', {
        prompt: JSON.stringify({
          tool_calls: [
            [{ name: 'add', arguments: { a: 1, b: 2 } }],
            [{ name: 'lookup', arguments: {} }],
          ],
        }),
        tools: ['add', lookup],
      }),
      200,
    );
    expect(accepted).toMatchObject({ finish_reason: 'tool_calls' });
    const live = await follow(accepted.id);
    await api().services.events.reset(accepted.id);
    const stored = await follow(accepted.id);
    const shape = (frames: Frame[]) =>
      frames
        .filter((frame) => frame.event !== 'status')
        .map((frame) => (frame.event === 'chunk' ? `chunk:${frame.data.text}` : frame.event));
    expect(shape(stored).join('')).toBe(shape(live).join(''));
    expect(stored.at(-1)).toMatchObject({
      event: 'done',
      data: { finish_reason: 'tool_calls', steps: 2, tool_calls: [{ name: 'lookup' }] },
    });
  });

  it('cancels the chain when a later step’s id is cancelled', async () => {
    const accepted = await json<{ id: string }>(
      await post('/v1/prompts', {
        prompt: JSON.stringify({
          tool_calls: [
            [{ name: 'add', arguments: { a: 1, b: 2 } }],
            [{ name: 'count_calls', arguments: { label: 'held', delay_ms: 30_000 } }],
          ],
        }),
        tools: ['add', 'count_calls'],
      }),
      202,
    );
    // The third step carries the held call's result: it is running while the tool sleeps.
    const running = await waitForStep(accepted.id, 3);
    const step = await json<Prompt>(await post(`/v1/prompts/${running}/cancel`, {}), 200);
    expect(step).toMatchObject({ id: running, status: 'cancelled' });
    const frames = await follow(accepted.id);
    expect(frames.at(-1)).toMatchObject({ event: 'error', data: { status: 'cancelled' } });
    const chain = await json<Prompt>(
      await fetch(`${api().baseUrl}/v1/prompts/${accepted.id}`),
      200,
    );
    expect(chain.status).toBe('cancelled');
  });
});

/** The id of a chain's step once it exists. */
async function waitForStep(chainId: string, step: number): Promise<string> {
  for (;;) {
    const prompt = await json<Prompt>(await fetch(`${api().baseUrl}/v1/prompts/${chainId}`), 200);
    const id = prompt.chain?.steps?.[step - 1];
    if (id) return id;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('client tools over HTTP', () => {
  it('ends with the calls for the client, and answers once the client sends the results', async () => {
    const lookup = {
      name: 'lookup',
      description: 'Look a word up in the client’s dictionary.',
      input_schema: { type: 'object', properties: { word: { type: 'string' } } },
    };
    const asked = await json<Prompt>(
      await post('/v1/prompts?wait=true', {
        prompt: JSON.stringify({ tool_calls: [{ name: 'lookup', arguments: { word: 'queue' } }] }),
        tools: [lookup],
      }),
      200,
    );
    expect(asked).toMatchObject({
      status: 'succeeded',
      finish_reason: 'tool_calls',
      tool_calls: [{ id: 'echo-call-1', name: 'lookup', arguments: { word: 'queue' } }],
      tools: [{ name: 'lookup', runs_on_server: false }],
    });
    const answered = await json<Prompt & { text: string; tool_results: unknown[] }>(
      await post('/v1/prompts?wait=true', {
        conversation_id: asked.conversation_id,
        tool_results: [{ tool_call_id: 'echo-call-1', output: 'a line of people waiting' }],
        tools: [lookup],
      }),
      200,
    );
    expect(answered).toMatchObject({
      status: 'succeeded',
      finish_reason: 'stop',
      tool_results: [
        { tool_call_id: 'echo-call-1', name: 'lookup', output: 'a line of people waiting' },
      ],
    });
    expect(JSON.parse(answered.text).tool_results).toEqual([
      { name: 'lookup', output: 'a line of people waiting', tool_call_id: 'echo-call-1' },
    ]);
  });

  it('refuses a turn that leaves a client call unanswered, or answers a call never made', async () => {
    const asked = await json<Prompt>(
      await post('/v1/prompts?wait=true', {
        prompt: JSON.stringify({ tool_calls: [{ name: 'lookup', id: 'call-9' }] }),
        tools: [{ name: 'lookup' }],
      }),
      200,
    );
    await writesNothing(async () => {
      const unanswered = await problemOf(
        await post('/v1/prompts', { conversation_id: asked.conversation_id, prompt: 'and?' }),
        422,
      );
      expect(unanswered.type).toBe('urn:llmq:problem:invalid-tool-results');
      expect(unanswered.detail).toBe(
        'The conversation’s last turn called lookup (tool_call_id call-9), a client tool: give its result in tool_results',
      );
      const stranger = await problemOf(
        await post('/v1/prompts', {
          conversation_id: asked.conversation_id,
          tool_results: [{ tool_call_id: 'call-1', output: 'x' }],
        }),
        422,
      );
      expect(stranger.detail).toBe(
        'tool_results[0].tool_call_id call-1 is not a call of the conversation’s last turn, which called: call-9',
      );
      const twice = await problemOf(
        await post('/v1/prompts', {
          conversation_id: asked.conversation_id,
          tool_results: [
            { tool_call_id: 'call-9', output: 'x' },
            { tool_call_id: 'call-9', output: 'y' },
          ],
        }),
        422,
      );
      expect(twice.detail).toBe('tool_results[1] answers call-9 again: give one result per call');
    });
  });
});

describe('refused tools', () => {
  it.each([
    [
      'an unknown server tool',
      { prompt: 'hi', tools: ['weather'] },
      'unknown-tool',
      'Unknown tool: weather. GET /v1/tools lists the tools this server runs; a tool your client answers is given as {name, description, input_schema}.',
    ],
    [
      'tools for a model that cannot call them',
      { model: 'text-only', prompt: 'hi', tools: ['add'] },
      'tools-not-supported',
      'Model text-only does not support tools: use a model with supports_tools (GET /v1/models), or send the prompt without tools',
    ],
    [
      'a client tool named as a server tool',
      { prompt: 'hi', tools: [{ name: 'add' }] },
      'invalid-tool-definition',
      'add is a server tool (GET /v1/tools): name it as a string to use it, or give your client tool another name',
    ],
    [
      'two tools of one name',
      { prompt: 'hi', tools: [{ name: 'look' }, { name: 'look' }] },
      'invalid-tool-definition',
      'Two tools are named look',
    ],
    [
      'tool results without a conversation',
      { tool_results: [{ tool_call_id: 'a', output: 'b' }] },
      'invalid-tool-results',
      'tool_results answer the tool calls of a conversation’s last turn: give its conversation_id',
    ],
  ])('refuses %s with a 422 and writes nothing', async (_label, body, slug, detail) => {
    await writesNothing(async () => {
      const problem = await problemOf(await post('/v1/prompts', body), 422);
      expect(problem.type).toBe(`urn:llmq:problem:${slug}`);
      expect(problem.detail).toBe(detail);
    });
  });

  it.each([
    ['a tool name with a space', { prompt: 'hi', tools: ['two words'] }, 'tools.0'],
    ['a chain_limit of 0', { prompt: 'hi', tools: ['add'], chain_limit: 0 }, 'chain_limit'],
    [
      'an input schema that is a list',
      { prompt: 'hi', tools: [{ name: 'x', input_schema: [] }] },
      'tools.0',
    ],
  ])('refuses %s as an invalid body naming the field', async (_label, body, path) => {
    const problem = await problemOf(await post('/v1/prompts', body), 422);
    expect(problem.type).toBe('urn:llmq:problem:validation-failed');
    expect(problem.errors?.[0]?.path).toBe(path);
  });
});

import { getConversation, getPrompt } from '@llmq/db/reads';
import { waitFor } from '@llmq/testing';
import OpenAI, { NotFoundError } from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-responses-admin';
const api = useApi({
  adminKeys: [adminKey],
  pluginSettings: {
    LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'local-chat', model: 'gpt-4.1', tools: true }]),
  },
});

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});
beforeEach(() => {
  api().openai.requests.length = 0;
});

/** The stored llmq prompt behind a response id. */
async function storedPrompt(responseId: string) {
  const row = await getPrompt(api().deps.services.db, responseId.replace(/^resp_/, ''));
  if (!row) throw new Error(`no prompt behind ${responseId}`);
  return row;
}

/** A raw request to the facade, as a client other than the SDK sends it. */
function facade(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${api().baseUrl}/openai/v1${path}`, {
    ...init,
    headers: {
      host: '127.0.0.1',
      authorization: `Bearer ${adminKey}`,
      'content-type': 'application/json',
      ...init.headers,
    },
  });
}

/** The messages the local OpenAI-compatible server received last. */
function lastUpstreamMessages(): unknown[] {
  const body = api().openai.requests.at(-1)?.body as { messages?: unknown[] } | undefined;
  return body?.messages ?? [];
}

/** The events of a raw Responses stream body. */
function parseEvents(body: string): Array<{ event: string; data: Record<string, unknown> }> {
  return body
    .split('\n\n')
    .filter((frame) => frame.startsWith('event: '))
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return {
        event: eventLine?.slice('event: '.length) ?? '',
        data: JSON.parse(dataLine?.slice('data: '.length) ?? '{}'),
      };
    });
}

const textOf = (events: readonly { type: string; delta?: unknown }[]) =>
  events
    .filter((event) => event.type === 'response.output_text.delta')
    .map((event) => event.delta)
    .join('');

describe('OpenAI facade: responses', () => {
  it('creates a response with the stored text, instructions and usage, visible in /v1', async () => {
    const { data, response } = await openai.responses
      .create({
        model: 'echo',
        input: 'hello responses',
        instructions: 'Be brief.',
        metadata: { team: 'docs' },
      })
      .withResponse();
    const row = await storedPrompt(data.id);
    expect(response.headers.get('x-llmq-prompt-id')).toBe(row.id);
    expect(data.object).toBe('response');
    expect(data.status).toBe('completed');
    expect(data.instructions).toBe('Be brief.');
    expect(data.metadata).toEqual({ team: 'docs' });
    expect(row.metadata).toEqual({ team: 'docs' });
    expect(row.prompt).toBe('hello responses');
    expect(row.system).toBe('Be brief.');
    expect(data.output_text).toBe(row.response);
    expect(data.output).toEqual([
      {
        id: `msg_${row.id}_0`,
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: row.response, annotations: [], logprobs: [] }],
      },
    ]);
    expect(data.usage).toMatchObject({
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      total_tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0),
    });
    const own = await fetch(`${api().baseUrl}/v1/prompts/${row.id}`, {
      headers: { host: '127.0.0.1', authorization: `Bearer ${adminKey}` },
    });
    expect(await own.json()).toMatchObject({ id: row.id, status: 'succeeded' });
    expect(await openai.responses.retrieve(data.id)).toMatchObject({
      id: data.id,
      status: 'completed',
      output: data.output,
      metadata: { team: 'docs' },
    });
  });

  it('streams numbered events whose text equals the stored text, and the SDK’s stream helper accepts them', async () => {
    const stream = await openai.responses.create({
      model: 'echo',
      input: 'stream this answer to me in several pieces please',
      stream: true,
      chunk_size: 8,
      delay_ms: 5,
      reasoning: 'thinking it over',
    } as OpenAI.Responses.ResponseCreateParamsStreaming);
    const events: ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    expect(events[0]?.type).toBe('response.created');
    expect(events.at(-1)?.type).toBe('response.completed');
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    const row = await storedPrompt(completed.response.id);
    expect(textOf(events)).toBe(row.response);
    expect(
      events.filter((event) => event.type === 'response.output_text.delta').length,
    ).toBeGreaterThan(2);
    const reasoning = events
      .filter((event) => event.type === 'response.reasoning_summary_text.delta')
      .map((event) => (event as { delta: string }).delta)
      .join('');
    expect(reasoning).toBe('thinking it over');
    // The streamed output is the retrieved one, item ids and all.
    expect((await openai.responses.retrieve(completed.response.id)).output).toEqual(
      completed.response.output,
    );
    // The SDK's own accumulator checks every event against the output it builds.
    const helper = openai.responses.stream({
      model: 'echo',
      input: 'through the helper',
      reasoning: 'a thought',
    } as unknown as Parameters<typeof openai.responses.stream>[0]);
    const final = await helper.finalResponse();
    const stored = await storedPrompt(final.id);
    expect(final.output_text).toBe(stored.response);
    expect(final.output.map((item) => item.id)).toEqual([
      `rs_${stored.id}_0`,
      `msg_${stored.id}_1`,
    ]);
  });

  it('answers a background response at once and retrieve follows it to completed', async () => {
    const created = await openai.responses.create({
      model: 'echo',
      input: 'in the background',
      background: true,
      delay_ms: 20,
      chunk_size: 4,
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    expect(['queued', 'in_progress']).toContain(created.status);
    let retrieved = await openai.responses.retrieve(created.id);
    await waitFor(async () => {
      retrieved = await openai.responses.retrieve(created.id);
      return retrieved.status === 'completed';
    });
    const row = await storedPrompt(created.id);
    expect(retrieved.output_text).toBe(row.response);
  });

  it('resumes a dropped background stream with starting_after: every event exactly once, as the whole stream numbers them', async () => {
    const controller = new AbortController();
    const stream = await openai.responses.create(
      {
        model: 'echo',
        input: 'a long answer that streams slowly enough to be cut off midway',
        background: true,
        stream: true,
        chunk_size: 4,
        delay_ms: 10,
      } as OpenAI.Responses.ResponseCreateParamsStreaming,
      { signal: controller.signal },
    );
    const first: ResponseStreamEvent[] = [];
    for await (const event of stream) {
      first.push(event);
      if (first.filter((each) => each.type === 'response.output_text.delta').length === 3) break;
    }
    const responseId = (first[0] as OpenAI.Responses.ResponseCreatedEvent).response.id;
    const last = first.at(-1)?.sequence_number ?? -1;
    const resumed = await openai.responses.retrieve(responseId, {
      stream: true,
      starting_after: last,
    });
    const rest: ResponseStreamEvent[] = [];
    for await (const event of resumed) rest.push(event);
    const all = [...first, ...rest];
    expect(all.map((event) => event.sequence_number)).toEqual(all.map((_, index) => index));
    expect(all.at(-1)?.type).toBe('response.completed');
    const row = await storedPrompt(responseId);
    expect(textOf(all)).toBe(row.response);
    // The whole stream read again afterwards is the same events, byte for byte.
    const replay = await facade(`/responses/${responseId}?stream=true`);
    expect(parseEvents(await replay.text()).map((each) => each.data)).toEqual(
      JSON.parse(JSON.stringify(all)),
    );
  });

  it('ends a stream whose model was retried after it began with an error event, and every replay ends so', async () => {
    const answer = await facade('/responses', {
      method: 'POST',
      body: JSON.stringify({
        model: 'echo',
        input: 'an answer that fails after its first pieces and is retried',
        stream: true,
        chunk_size: 4,
        fail: 'retryable',
        fail_attempts: 1,
        fail_after_chunks: 2,
      }),
    });
    const body = await answer.text();
    const events = parseEvents(body);
    expect(events.at(-1)).toMatchObject({
      event: 'error',
      data: { type: 'error', code: 'restarted' },
    });
    const created = events[0]?.data.response as { id: string } | undefined;
    const responseId = created?.id ?? '';
    await waitFor(async () => (await storedPrompt(responseId)).status === 'succeeded');
    const replay = await facade(`/responses/${responseId}?stream=true`);
    expect(await replay.text()).toBe(body);
    expect((await openai.responses.retrieve(responseId)).status).toBe('completed');
  });

  it('chains three turns with previous_response_id: the model server receives the earlier turns', async () => {
    api().openai.enqueue({ text: 'First answer.' });
    api().openai.enqueue({ text: 'Second answer.' });
    api().openai.enqueue({ text: 'Third answer.' });
    const first = await openai.responses.create({
      model: 'local-chat',
      input: 'one',
      instructions: 'Count.',
    });
    const second = await openai.responses.create({
      model: 'local-chat',
      input: 'two',
      previous_response_id: first.id,
    });
    const third = await openai.responses.create({
      input: [{ role: 'user', content: [{ type: 'input_text', text: 'three' }] }],
      previous_response_id: second.id,
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    expect(third.output_text).toBe('Third answer.');
    expect(third.model).toBe('local-chat');
    // llmq replays a conversation's system prompt (OpenAI would drop earlier instructions).
    expect(lastUpstreamMessages()).toEqual([
      { role: 'system', content: 'Count.' },
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'First answer.' },
      { role: 'user', content: 'two' },
      { role: 'assistant', content: 'Second answer.' },
      { role: 'user', content: 'three' },
    ]);
    const rows = await Promise.all([first, second, third].map((each) => storedPrompt(each.id)));
    expect(new Set(rows.map((row) => row.conversationId)).size).toBe(1);
    const conversation = await getConversation(
      api().deps.services.db,
      rows[0]?.conversationId ?? '',
    );
    expect(conversation?.turns.map((turn) => turn.id)).toEqual(rows.map((row) => row.id));
  });

  it('branches from a response that is not its conversation’s last turn', async () => {
    api().openai.enqueue({ text: 'A.' });
    api().openai.enqueue({ text: 'B.' });
    api().openai.enqueue({ text: 'C.' });
    const first = await openai.responses.create({ model: 'local-chat', input: 'start' });
    await openai.responses.create({
      model: 'local-chat',
      input: 'one way',
      previous_response_id: first.id,
    });
    const branch = await openai.responses.create({
      model: 'local-chat',
      input: 'the other way',
      previous_response_id: first.id,
    });
    expect(lastUpstreamMessages()).toEqual([
      { role: 'user', content: 'start' },
      { role: 'assistant', content: 'A.' },
      { role: 'user', content: 'the other way' },
    ]);
    const [root, branched] = await Promise.all([storedPrompt(first.id), storedPrompt(branch.id)]);
    expect(branched.conversationId).not.toBe(root.conversationId);
  });

  it('round-trips a function tool: the call as a function_call item, its output answered with previous_response_id', async () => {
    const tools: OpenAI.Responses.FunctionTool[] = [
      {
        type: 'function',
        name: 'get_weather',
        description: 'The weather in a city.',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
        strict: false,
      },
    ];
    const first = await openai.responses.create({
      model: 'echo',
      input: JSON.stringify({
        tool_calls: [{ name: 'get_weather', arguments: { city: 'Lisbon' } }],
      }),
      tools,
    });
    const call = first.output.find((item) => item.type === 'function_call');
    expect(call).toMatchObject({
      type: 'function_call',
      name: 'get_weather',
      arguments: '{"city":"Lisbon"}',
      status: 'completed',
    });
    expect(first.tools).toMatchObject([{ type: 'function', name: 'get_weather' }]);
    const second = await openai.responses.create({
      model: 'echo',
      previous_response_id: first.id,
      input: [{ type: 'function_call_output', call_id: call?.call_id ?? '', output: 'sunny' }],
      tools,
    });
    expect(JSON.parse(second.output_text)).toMatchObject({
      tool_results: [{ name: 'get_weather', output: 'sunny' }],
    });
    const items = await openai.responses.inputItems.list(second.id);
    expect(items.data).toEqual([
      {
        id: `fco_${second.id.slice(5)}_in0`,
        type: 'function_call_output',
        call_id: call?.call_id,
        output: 'sunny',
        status: 'completed',
      },
    ]);
    // The same turn sent whole, without previous_response_id, as a stateless client does.
    const whole = await openai.responses.create({
      model: 'echo',
      input: [
        { role: 'user', content: 'weather?' },
        {
          type: 'function_call',
          call_id: 'call_1',
          name: 'get_weather',
          arguments: '{"city":"Porto"}',
        },
        { type: 'function_call_output', call_id: 'call_1', output: 'rain' },
      ],
      tools,
    });
    expect(JSON.parse(whole.output_text)).toMatchObject({
      tool_results: [{ name: 'get_weather', output: 'rain' }],
    });
  });

  it('answers to a json_schema text format', async () => {
    const response = await openai.responses.create({
      model: 'echo',
      input: 'invent a dog',
      text: {
        format: {
          type: 'json_schema',
          name: 'dog',
          schema: {
            type: 'object',
            properties: { name: { type: 'string' }, age: { type: 'integer' } },
            required: ['name', 'age'],
          },
        },
      },
    });
    expect(JSON.parse(response.output_text)).toEqual({
      name: expect.any(String),
      age: expect.any(Number),
    });
    expect(response.text?.format).toMatchObject({ type: 'json_schema' });
    expect((await storedPrompt(response.id)).schemaId).not.toBeNull();
  });

  it('cancels a background response', async () => {
    const created = await openai.responses.create({
      model: 'echo',
      input: 'a slow answer to be cancelled before it ends',
      background: true,
      chunk_size: 1,
      delay_ms: 200,
    } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    const cancelled = await openai.responses.cancel(created.id);
    expect(cancelled.status).toBe('cancelled');
    expect((await storedPrompt(created.id)).status).toBe('cancelled');
    // Again: the response as it ended.
    expect((await openai.responses.cancel(created.id)).status).toBe('cancelled');
  });

  it('refuses an unknown model and an unknown response with the SDK’s NotFoundError', async () => {
    await expect(
      openai.responses.create({ model: 'no-such-model', input: 'hi' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(openai.responses.retrieve('resp_nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('deletes a response: its row and log go, and it is then not found', async () => {
    const response = await openai.responses.create({ model: 'echo', input: 'forget me' });
    const items = await openai.responses.inputItems.list(response.id);
    expect(items.data).toMatchObject([
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'forget me' }] },
    ]);
    const answer = await facade(`/responses/${response.id}`, { method: 'DELETE' });
    expect(await answer.json()).toEqual({
      id: response.id,
      object: 'response.deleted',
      deleted: true,
    });
    await expect(openai.responses.retrieve(response.id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await getPrompt(api().deps.services.db, response.id.slice(5))).toBeUndefined();
    expect(await api().deps.services.events.exists(response.id.slice(5))).toBe(false);
  });

  it('refuses to delete a response that a later turn replays, and deletes the later one first', async () => {
    const first = await openai.responses.create({ model: 'echo', input: 'one' });
    const second = await openai.responses.create({
      model: 'echo',
      input: 'two',
      previous_response_id: first.id,
    });
    const refused = await facade(`/responses/${first.id}`, { method: 'DELETE' });
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(
      /has later turns in conversation .*: delete those first/,
    );
    expect((await facade(`/responses/${second.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await facade(`/responses/${first.id}`, { method: 'DELETE' })).status).toBe(200);
  });

  it.each([
    ['an input_image without a source', [{ role: 'user', content: [{ type: 'input_image' }] }]],
    [
      'an input_file with two sources',
      [
        {
          role: 'user',
          content: [
            {
              type: 'input_file',
              file_id: 'file-x',
              file_data: 'data:application/pdf;base64,JVBE',
            },
          ],
        },
      ],
    ],
  ])('answers %s with a 400 in OpenAI’s shape, and stores nothing', async (_label, input) => {
    const before = (await api().deps.services.queue.jobCounts('waiting', 'completed')) as object;
    const answer = await facade('/responses', {
      method: 'POST',
      body: JSON.stringify({ model: 'echo', input }),
    });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { error: { type: string; param: string | null } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(await api().deps.services.queue.jobCounts('waiting', 'completed')).toEqual(before);
  });

  it('resumes a stream whose log has expired with the final event, the whole response in it', async () => {
    const created = await openai.responses.create({ model: 'echo', input: 'expire me' });
    const full = parseEvents(await (await facade(`/responses/${created.id}?stream=true`)).text());
    await api().deps.services.events.reset(created.id.slice(5));
    const resumed = parseEvents(
      await (await facade(`/responses/${created.id}?stream=true&starting_after=3`)).text(),
    );
    expect(resumed.map((event) => event.event)).toEqual(['response.completed']);
    // Numbered after what the client saw; the rebuilt events are fewer than the live ones.
    expect(resumed[0]?.data.sequence_number).toBeGreaterThan(3);
    const outputOf = (event: { data: Record<string, unknown> } | undefined) =>
      JSON.stringify((event?.data.response as { output?: unknown } | undefined)?.output);
    expect(outputOf(resumed[0])).toBe(outputOf(full.at(-1)));
  });
});

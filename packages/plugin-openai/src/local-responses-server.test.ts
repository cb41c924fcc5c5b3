import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import OpenAI, { BadRequestError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: OpenAICompatibleServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseUrl, maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

/** The raw SSE frames of a streamed request: each event's name and its data. */
async function rawEvents(body: Record<string, unknown>) {
  const answer = await fetch(`${server.baseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const text = await answer.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return {
        event: eventLine?.replace(/^event: /, ''),
        data: JSON.parse(dataLine?.replace(/^data: /, '') ?? 'null') as Record<string, unknown>,
      };
    });
}

describe('the local server’s /v1/responses', () => {
  it('streams OpenAI’s event types in order, numbered from 0, named alike in event and data', async () => {
    server.enqueue({ text: 'Hi there' });
    const frames = await rawEvents({ model: 'gpt-4.1-mini', input: 'hello' });
    expect(frames.map((frame) => frame.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(frames.map((frame) => frame.data.sequence_number)).toEqual(frames.map((_, at) => at));
    for (const frame of frames) expect(frame.data.type).toBe(frame.event);
  });

  it('streams a reasoning summary and function call arguments in pieces', async () => {
    server.enqueue({
      reasoning: 'Look it up.',
      toolCalls: [{ id: 'call_1', name: 'lookup', argumentChunks: ['{"q":', '"x"}'] }],
    });
    const frames = await rawEvents({
      model: 'o4-mini',
      input: 'find x',
      reasoning: { summary: 'auto' },
      tools: [{ type: 'function', name: 'lookup', parameters: { type: 'object' }, strict: false }],
    });
    expect(frames.map((frame) => frame.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const pieces = frames
      .filter((frame) => frame.event === 'response.function_call_arguments.delta')
      .map((frame) => frame.data.delta);
    expect(pieces).toEqual(['{"q":', '"x"}']);
  });

  it('is read by the openai SDK’s own responses.stream() helper', async () => {
    server.enqueue({
      reasoning: 'Think.',
      text: 'Streamed answer.',
    });
    const deltas: string[] = [];
    const stream = client.responses
      .stream({
        model: 'o4-mini',
        input: 'x',
        reasoning: { summary: 'auto' },
        include: ['reasoning.encrypted_content'],
        store: false,
      })
      .on('response.output_text.delta', (event) => deltas.push(event.delta));
    const final = await stream.finalResponse();
    expect(deltas.join('')).toBe('Streamed answer.');
    expect(final.output_text).toBe('Streamed answer.');
    expect(final.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(final.usage?.output_tokens_details.reasoning_tokens).toBe(1);

    server.enqueue({ toolCalls: [{ id: 'call_9', name: 'lookup', arguments: { q: 'y' } }] });
    const calls = await client.responses
      .stream({
        model: 'gpt-4.1-mini',
        input: 'find y',
        tools: [
          { type: 'function', name: 'lookup', parameters: { type: 'object' }, strict: false },
        ],
      })
      .finalResponse();
    expect(calls.output).toMatchObject([
      { type: 'function_call', call_id: 'call_9', name: 'lookup', arguments: '{"q":"y"}' },
    ]);
  });

  it('answers a whole response the SDK reads as it reads OpenAI’s', async () => {
    server.enqueue({ text: 'Whole.' });
    const response = await client.responses.create({ model: 'gpt-4.1-mini', input: 'x' });
    expect(response).toMatchObject({
      object: 'response',
      status: 'completed',
      output_text: 'Whole.',
    });
  });

  it('answers 400 as OpenAI does to input it can see is wrong', async () => {
    const refusals: [Record<string, unknown>, string][] = [
      [{ model: 'gpt-4.1-mini', messages: [] }, "Unknown parameter: 'messages'."],
      [{ input: 'x' }, "Missing required parameter: 'model'."],
      [
        { model: 'gpt-4.1-mini', input: 'x', reasoning: { effort: 'low' } },
        "Unsupported parameter: 'reasoning.effort' is not supported with this model.",
      ],
      [
        { model: 'o4-mini', input: 'x', temperature: 0.5 },
        "Unsupported value: 'temperature' does not support 0.5 with this model. Only the default (1) value is supported.",
      ],
      [
        {
          model: 'gpt-4.1-mini',
          input: [{ type: 'function_call_output', call_id: 'nope', output: 'x' }],
        },
        'No tool call found for function call output with call_id nope.',
      ],
      [
        {
          model: 'o4-mini',
          input: [{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'forged' }],
        },
        'The encrypted content for item rs_1 could not be verified.',
      ],
      [
        {
          model: 'gpt-4.1-mini',
          input: 'x',
          tools: [{ type: 'function', function: { name: 'f' } }],
        },
        "Missing required parameter: 'tools[0].name'.",
      ],
      [
        {
          model: 'gpt-4.1-mini',
          input: 'x',
          text: { format: { type: 'json_schema', schema: {} } },
        },
        "Missing required parameter: 'text.format.name'.",
      ],
    ];
    for (const [body, message] of refusals) {
      const error = await client.responses
        .create(body as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming)
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).error).toMatchObject({ message });
    }
  });
});

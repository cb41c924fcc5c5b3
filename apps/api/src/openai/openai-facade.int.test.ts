import { countRowsByTable, getConversation, getPrompt } from '@llmq/db/reads';
import { makePng, makeWav, waitFor } from '@llmq/testing';
import OpenAI, { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-facade-admin';
const api = useApi({ adminKeys: [adminKey] });

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});

/** The stored llmq prompt behind a completion id. */
async function storedPrompt(completionId: string) {
  const id = completionId.replace(/^chatcmpl-/, '');
  const row = await getPrompt(api().deps.services.db, id);
  if (!row) throw new Error(`no prompt ${id}`);
  return row;
}

describe('OpenAI facade: chat completions', () => {
  it('answers without streaming with the stored response, its usage and the prompt id header', async () => {
    const { data, response } = await openai.chat.completions
      .create({
        model: 'echo',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello facade' },
        ],
      })
      .withResponse();
    expect(data.object).toBe('chat.completion');
    const row = await storedPrompt(data.id);
    expect(response.headers.get('x-llmq-prompt-id')).toBe(row.id);
    expect(row.status).toBe('succeeded');
    expect(row.prompt).toBe('hello facade');
    expect(row.system).toBe('Be brief.');
    expect(data.choices[0]?.message.content).toBe(row.response);
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(JSON.parse(data.choices[0]?.message.content ?? '{}')).toMatchObject({
      prompt: 'hello facade',
      system: 'Be brief.',
    });
    expect(data.usage).toEqual({
      prompt_tokens: row.inputTokens,
      completion_tokens: row.outputTokens,
      total_tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0),
    });
  });

  it('streams chunks ending in [DONE] whose text equals the stored response, with usage last', async () => {
    const stream = await openai.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'stream this answer to me in several chunks please' }],
      stream: true,
      stream_options: { include_usage: true },
      chunk_size: 8,
      delay_ms: 5,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    const row = await storedPrompt(chunks[0]?.id ?? '');
    expect(text).toBe(row.response);
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBeGreaterThan(2);
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toEqual({
      prompt_tokens: row.inputTokens,
      completion_tokens: row.outputTokens,
      total_tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0),
    });
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('ends the raw stream with data: [DONE] and sends no usage unless asked', async () => {
    const answer = await fetch(`${api().baseUrl}/openai/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'echo',
        stream: true,
        messages: [{ role: 'user', content: 'raw' }],
      }),
    });
    expect(answer.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const body = await answer.text();
    expect(body.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(body).not.toContain('"usage"');
  });

  it('takes an image as a data: URL and audio as input_audio: both reach the model as attachments in the blob store', async () => {
    const png = makePng(10, 200, 30, 4);
    const wav = makeWav(16);
    const completion = await openai.chat.completions.create({
      model: 'echo',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is this?' },
            {
              type: 'image_url',
              image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` },
            },
            {
              type: 'input_audio',
              input_audio: { data: Buffer.from(wav).toString('base64'), format: 'wav' },
            },
          ],
        },
      ],
    });
    const received = JSON.parse(completion.choices[0]?.message.content ?? '{}');
    expect(received.prompt).toBe('what is this?');
    expect(received.attachments.map((each: { type: string }) => each.type)).toEqual([
      'image/png',
      'audio/wav',
    ]);
    expect(received.attachments[0].size).toBe(png.length);
    const row = await storedPrompt(completion.id);
    expect(row.attachments.map((attachment) => attachment.type)).toEqual([
      'image/png',
      'audio/wav',
    ]);
    expect(await api().services.blobs.has(row.attachments[0]?.id ?? '')).toBe(true);
  });

  it('keeps the history as a stored conversation that the model receives, attachments included', async () => {
    const png = makePng(1, 2, 3, 2);
    const completion = await openai.chat.completions.create({
      model: 'echo',
      messages: [
        { role: 'developer', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'first question' },
            {
              type: 'image_url',
              image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` },
            },
          ],
        },
        { role: 'assistant', content: 'first answer' },
        { role: 'user', content: 'second question' },
      ],
    });
    const received = JSON.parse(completion.choices[0]?.message.content ?? '{}');
    expect(received.previous).toEqual([
      {
        prompt: 'first question',
        attachments: [expect.objectContaining({ type: 'image/png', size: png.length })],
        response: 'first answer',
      },
    ]);
    const row = await storedPrompt(completion.id);
    const conversation = await getConversation(api().deps.services.db, row.conversationId ?? '');
    expect(conversation?.turns.map((turn) => [turn.prompt, turn.response])).toEqual([
      ['first question', 'first answer'],
      ['second question', row.response],
    ]);
  });

  it('maps OpenAI sampling fields onto the options the model has and passes llmq options through', async () => {
    const completion = await openai.chat.completions.create({
      model: 'echo',
      temperature: 0.2,
      max_tokens: 50,
      messages: [{ role: 'user', content: 'options' }],
      delay_ms: 1,
    } as OpenAI.ChatCompletionCreateParamsNonStreaming);
    // The echo model has no temperature or max_tokens: they are dropped, its own option is kept.
    expect(JSON.parse(completion.choices[0]?.message.content ?? '{}').options).toEqual({
      delay_ms: 1,
    });
  });

  it('sends temperature, the token limit and JSON mode to an OpenAI model as its options', async () => {
    const completion = await openai.chat.completions.create({
      model: 'lv',
      temperature: 0.3,
      max_completion_tokens: 42,
      response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'say hi' }],
    });
    const row = await storedPrompt(completion.id);
    expect(row.model).toBe('local-vision');
    expect(row.options).toEqual({ temperature: 0.3, max_completion_tokens: 42, json_object: true });
    const upstream = api().openai.requests.at(-1)?.body as Record<string, unknown>;
    expect(upstream).toMatchObject({
      temperature: 0.3,
      max_completion_tokens: 42,
      response_format: { type: 'json_object' },
    });
    expect(upstream).not.toHaveProperty('max_tokens');
  });

  it('answers an unknown model with NotFoundError (404, model_not_found) and stores nothing', async () => {
    const before = await countRowsByTable(api().deps.services.db);
    const error = await openai.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model');
    expect(await countRowsByTable(api().deps.services.db)).toEqual(before);
  });

  it('refuses what it cannot honour with a BadRequestError naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ messages: [] }, 'messages'],
      [{ messages: [{ role: 'assistant', content: 'no question' }] }, 'messages'],
      [{ messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
      [
        { messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] },
        'tools.0.function',
      ],
      [
        { messages: [{ role: 'tool', content: 'x', tool_call_id: 'a' }] },
        'messages[0].tool_call_id',
      ],
      [{ messages: [{ role: 'user', content: 'x' }], tool_choice: 'required' }, 'tool_choice'],
      [
        {
          messages: [
            {
              role: 'user',
              content: [{ type: 'image_url', image_url: { url: 'data:,notbase64!' } }],
            },
          ],
        },
        'messages[0].content[0].image_url.url',
      ],
      [{ messages: [{ role: 'user', content: 'x' }], delay_ms: -5 }, 'delay_ms'],
      [
        {
          messages: [
            {
              role: 'user',
              content: [
                { type: 'input_audio', input_audio: { data: 'not base64!', format: 'wav' } },
              ],
            },
          ],
        },
        'messages[0].content[0].input_audio.data',
      ],
      [{ messages: [{ role: 'user', content: 'x' }], no_such_option: 1 }, 'no_such_option'],
      [
        { messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } },
        'response_format',
      ],
    ];
    for (const [body, param] of cases) {
      const error = await openai.chat.completions
        .create({
          model: 'echo',
          ...body,
        } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
        .catch((caught: unknown) => caught);
      expect(error, JSON.stringify(body)).toBeInstanceOf(OpenAI.BadRequestError);
      const badRequest = error as InstanceType<typeof OpenAI.BadRequestError>;
      expect(badRequest.param, JSON.stringify(body)).toBe(param);
      expect(badRequest.type).toBe('invalid_request_error');
      expect(badRequest.message.length).toBeGreaterThan(20);
    }
  });

  it('refuses audio for a model that takes only images before storing any of it', async () => {
    const before = await countRowsByTable(api().deps.services.db);
    const error = await openai.chat.completions
      .create({
        model: 'lv',
        messages: [
          { role: 'user', content: 'earlier' },
          { role: 'assistant', content: 'answer' },
          {
            role: 'user',
            content: [
              {
                type: 'input_audio',
                input_audio: { data: Buffer.from(makeWav(8)).toString('base64'), format: 'wav' },
              },
            ],
          },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toMatch(/audio\/wav/);
    expect(await countRowsByTable(api().deps.services.db)).toEqual(before);
  });

  it('answers a wrong key with AuthenticationError', async () => {
    const stranger = new OpenAI({
      apiKey: 'sk-wrong',
      baseURL: `${api().baseUrl}/openai/v1`,
      maxRetries: 0,
    });
    const error = await stranger.models.list().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('lists the models', async () => {
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['echo', 'local-vision']));
    expect((await openai.models.retrieve('lv')).id).toBe('local-vision');
  });
});

describe('OpenAI facade: batches', () => {
  async function uploadBatch(lines: unknown[]): Promise<string> {
    const file = await openai.files.create({
      file: await toFile(
        Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n')),
        'input.jsonl',
      ),
      purpose: 'batch',
    });
    expect(file.purpose).toBe('batch');
    return file.id;
  }

  const request = (customId: string, content: string, extra: Record<string, unknown> = {}) => ({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model: 'echo', messages: [{ role: 'user', content }], ...extra },
  });

  it('runs a round trip: upload JSONL, create, poll until completed, download the output', async () => {
    const lines = Array.from({ length: 12 }, (_, index) =>
      request(`req-${index}`, `item ${index}`),
    );
    const inputFileId = await uploadBatch(lines);
    const uploaded = await openai.files.retrieve(inputFileId);
    expect(uploaded.filename).toBe('input.jsonl');
    const content = await (await openai.files.content(inputFileId)).text();
    expect(content.split('\n')).toHaveLength(12);

    const created = await openai.batches.create({
      input_file_id: inputFileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { purpose: 'facade test' },
    });
    expect(created.metadata).toEqual({ purpose: 'facade test' });
    let batch = created;
    await waitFor(
      async () => {
        batch = await openai.batches.retrieve(created.id);
        return batch.status === 'completed';
      },
      'the batch to complete',
      20_000,
      50,
    );
    expect(batch.request_counts).toEqual({ total: 12, completed: 12, failed: 0 });
    expect(batch.error_file_id).toBeNull();
    expect(batch.input_file_id).toBe(inputFileId);
    const output = await (await openai.files.content(batch.output_file_id ?? '')).text();
    const results = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(results.map((result) => result.custom_id).sort()).toEqual(
      lines.map((line) => line.custom_id).sort(),
    );
    for (const result of results) {
      expect(result.error).toBeNull();
      expect(result.response.status_code).toBe(200);
      expect(result.response.body.object).toBe('chat.completion');
      const index = result.custom_id.replace('req-', '');
      expect(JSON.parse(result.response.body.choices[0].message.content).prompt).toBe(
        `item ${index}`,
      );
      const row = await getPrompt(api().deps.services.db, result.response.request_id);
      expect(row?.response).toBe(result.response.body.choices[0].message.content);
    }
    const described = await openai.files.retrieve(batch.output_file_id ?? '');
    expect(described.bytes).toBe(Buffer.byteLength(output));
    const listed = await openai.batches.list({ limit: 100 });
    expect(listed.data.map((each) => each.id)).toContain(created.id);
  });

  it('cancels mid-batch: finished answers kept, the rest in the error file as batch_cancelled', async () => {
    const lines = Array.from({ length: 120 }, (_, index) =>
      request(`slow-${index}`, `slow ${index}`, { delay_ms: 150, chunk_size: 1000 }),
    );
    const batch = await openai.batches.create({
      input_file_id: await uploadBatch(lines),
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await waitFor(
      async () => (await openai.batches.retrieve(batch.id)).request_counts?.completed !== 0,
      'some requests to finish',
      20_000,
      50,
    );
    const cancelling = await openai.batches.cancel(batch.id);
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    let final = cancelling;
    await waitFor(
      async () => {
        final = await openai.batches.retrieve(batch.id);
        return final.status === 'cancelled';
      },
      'the batch to be cancelled',
      20_000,
      50,
    );
    const counts = final.request_counts as OpenAI.Batches.BatchRequestCounts;
    expect(counts.total).toBe(120);
    expect(counts.completed).toBeGreaterThan(0);
    expect(counts.failed).toBeGreaterThan(0);
    expect(counts.completed + counts.failed).toBe(120);
    const errors = (await (await openai.files.content(final.error_file_id ?? '')).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(errors).toHaveLength(counts.failed);
    expect(errors.every((line) => line.error?.code === 'batch_cancelled')).toBe(true);
    const answers = (await (await openai.files.content(final.output_file_id ?? '')).text())
      .trim()
      .split('\n');
    expect(answers).toHaveLength(counts.completed);
  });

  it('lists files by purpose, newest first, with has_more', async () => {
    const batchFile = await uploadBatch([request('a', 'x')]);
    const other = await openai.files.create({
      file: await toFile(Buffer.from(makePng(5, 5, 5)), 'pixel.png'),
      purpose: 'vision',
    });
    const vision = await openai.files.list({ purpose: 'vision' });
    expect(vision.data.map((file) => file.id)).toContain(other.id);
    expect(vision.data.map((file) => file.id)).not.toContain(batchFile);
    const page = await fetch(`${api().baseUrl}/openai/v1/files?limit=1`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const body = (await page.json()) as { data: Array<{ id: string }>; has_more: boolean };
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.id).toBe(other.id);
    expect(body.has_more).toBe(true);
  });

  it('answers two files, bad metadata or a bad purpose with 400', async () => {
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob(['{}']), 'a.jsonl');
    form.append('file', new Blob(['{}']), 'b.jsonl');
    const two = await fetch(`${api().baseUrl}/openai/v1/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}` },
      body: form,
    });
    expect(two.status).toBe(400);
    expect(((await two.json()) as { error: { param: string } }).error.param).toBe('file');
    const badPurpose = await openai.files
      .create({ file: await toFile(Buffer.from('{}'), 'a.jsonl'), purpose: 'nonsense' as 'batch' })
      .catch((caught: unknown) => caught);
    expect(badPurpose).toBeInstanceOf(OpenAI.BadRequestError);
    const metadata = await openai.batches
      .create({
        input_file_id: await uploadBatch([request('a', 'x')]),
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        metadata: { key: 'a\u0000b' },
      })
      .catch((caught: unknown) => caught);
    expect(metadata).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('refuses a bad batch file naming the line, and creates nothing', async () => {
    const before = (await openai.batches.list({ limit: 100 })).data.length;
    const cases: Array<[unknown[], RegExp]> = [
      [
        [request('a', 'x'), { ...request('b', 'y'), body: { model: 'lv', messages: [] } }],
        /Line 2/,
      ],
      [
        [
          request('a', 'x'),
          {
            ...request('b', 'y'),
            body: { model: 'lv', messages: [{ role: 'user', content: 'y' }] },
          },
        ],
        /same model/,
      ],
      [[request('a', 'x'), request('a', 'y')], /custom_id "a" is used by an earlier item/],
      [[{ ...request('a', 'x'), url: '/v1/embeddings' }], /only endpoint/],
      [
        [
          {
            ...request('a', 'x'),
            body: { model: 'nope', messages: [{ role: 'user', content: 'x' }] },
          },
        ],
        /Line 1.*nope/,
      ],
      [
        [
          request('a', 'x'),
          {
            ...request('b', 'y'),
            body: { model: 'nope', messages: [{ role: 'user', content: 'y' }] },
          },
        ],
        /Line 2/,
      ],
    ];
    for (const [lines, message] of cases) {
      const error = await openai.batches
        .create({
          input_file_id: await uploadBatch(lines),
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect((error as Error).message).toMatch(message);
    }
    const missing = await openai.batches
      .create({
        input_file_id: 'file-missing',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      })
      .catch((caught: unknown) => caught);
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect((await openai.batches.list({ limit: 100 })).data.length).toBe(before);
    const unknown = await openai.batches
      .retrieve('no-such-batch')
      .catch((caught: unknown) => caught);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
  });
});

import { getPrompt } from '@llmq/db/reads';
import { waitFor } from '@llmq/testing';
import OpenAI, { BadRequestError, toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-responses-batches';
const api = useApi({ adminKeys: [adminKey] });

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});

async function uploadBatch(lines: unknown[]): Promise<string> {
  const file = await openai.files.create({
    file: await toFile(
      Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n')),
      'input.jsonl',
    ),
    purpose: 'batch',
  });
  return file.id;
}

const line = (customId: string, body: Record<string, unknown>, url = '/v1/responses') => ({
  custom_id: customId,
  method: 'POST',
  url,
  body: { model: 'echo', ...body },
});

describe('OpenAI facade: batches of /v1/responses', () => {
  it('runs /v1/responses lines and gives each answer as a response in the output file', async () => {
    const lines = [
      line('plain', { input: 'item one', instructions: 'Be brief.' }),
      line('items', {
        input: [{ role: 'user', content: [{ type: 'input_text', text: 'item two' }] }],
      }),
      line('schema', {
        input: 'a dog',
        text: {
          format: {
            type: 'json_schema',
            name: 'dog',
            schema: {
              type: 'object',
              properties: { name: { type: 'string' } },
              required: ['name'],
            },
          },
        },
      }),
    ];
    const created = await openai.batches.create({
      input_file_id: await uploadBatch(lines),
      endpoint: '/v1/responses',
      completion_window: '24h',
      metadata: { purpose: 'responses' },
    });
    expect(created.endpoint).toBe('/v1/responses');
    expect(created.metadata).toEqual({ purpose: 'responses' });
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
    const output = await (await openai.files.content(batch.output_file_id ?? '')).text();
    const results = output
      .trim()
      .split('\n')
      .map((each) => JSON.parse(each));
    expect(results.map((result) => result.custom_id).sort()).toEqual(['items', 'plain', 'schema']);
    for (const result of results) {
      const row = await getPrompt(api().deps.services.db, result.response.request_id);
      expect(result.response.body).toMatchObject({
        id: `resp_${row?.id}`,
        object: 'response',
        status: 'completed',
        output: [{ type: 'message', content: [{ type: 'output_text', text: row?.response }] }],
      });
    }
    const byId = Object.fromEntries(results.map((result) => [result.custom_id, result]));
    expect(byId.plain.response.body.instructions).toBe('Be brief.');
    expect(JSON.parse(byId.items.response.body.output[0].content[0].text).prompt).toBe('item two');
    expect(JSON.parse(byId.schema.response.body.output[0].content[0].text)).toEqual({
      name: expect.any(String),
    });
    // The line's schema is its format, as a retrieved response shows it.
    expect(byId.schema.response.body.text.format).toMatchObject({
      type: 'json_schema',
      schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    });
    expect(byId.plain.response.body.text.format).toEqual({ type: 'text' });
  });

  it('refuses a line whose url is not the batch’s endpoint, and a line that continues a response', async () => {
    const mixed = await uploadBatch([
      line('one', { input: 'a' }),
      line('two', { messages: [{ role: 'user', content: 'b' }] }, '/v1/chat/completions'),
    ]);
    await expect(
      openai.batches.create({
        input_file_id: mixed,
        endpoint: '/v1/responses',
        completion_window: '24h',
      }),
    ).rejects.toBeInstanceOf(BadRequestError);
    const continuing = await uploadBatch([
      line('one', { input: 'a', previous_response_id: 'resp_01jc0000000000000000000000' }),
    ]);
    await expect(
      openai.batches.create({
        input_file_id: continuing,
        endpoint: '/v1/responses',
        completion_window: '24h',
      }),
    ).rejects.toMatchObject({ status: 400, param: 'body.previous_response_id' });
  });

  it('refuses a line whose body is not a Responses request, naming the field', async () => {
    const bad = await uploadBatch([line('one', { input: 'a', max_output_tokens: 0 })]);
    await expect(
      openai.batches.create({
        input_file_id: bad,
        endpoint: '/v1/responses',
        completion_window: '24h',
      }),
    ).rejects.toMatchObject({ status: 400, param: 'body.max_output_tokens' });
  });
});

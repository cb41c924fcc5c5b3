import { getPrompt } from '@llmq/db/reads';
import { waitFor } from '@llmq/testing';
import OpenAI from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';
import { responseOfRow } from './response-object.ts';

const adminKey = 'sk-llmq-responses-object-fields';
const api = useApi({
  adminKeys: [adminKey],
  pluginSettings: {
    LLMQ_OPENAI_MODELS: JSON.stringify([
      { id: 'local-responses', model: 'gpt-4.1', api: 'responses' },
    ]),
  },
});

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});

async function completed(id: string) {
  let response = await openai.responses.retrieve(id);
  await waitFor(
    async () => {
      response = await openai.responses.retrieve(id);
      return response.status !== 'queued' && response.status !== 'in_progress';
    },
    'the response to end',
    20_000,
    20,
  );
  return response;
}

describe('OpenAI facade: what a response object says of its request', () => {
  it('says background where the request is answered, store always, and no previous response for a first turn', async () => {
    const created = await openai.responses.create({
      model: 'echo',
      input: 'in the background',
      background: true,
    });
    expect(created).toMatchObject({ background: true, store: true, previous_response_id: null });
    // Not stored: a retrieval cannot know, and says false.
    expect(await completed(created.id)).toMatchObject({ background: false, store: true });
    const waited = await openai.responses.create({ model: 'echo', input: 'waited for' });
    expect(waited).toMatchObject({ background: false, store: true, previous_response_id: null });
  });

  it('names the response a turn continues, created, retrieved and streamed alike', async () => {
    const first = await openai.responses.create({ model: 'echo', input: 'one' });
    const second = await openai.responses.create({
      model: 'echo',
      input: 'two',
      previous_response_id: first.id,
    });
    expect(second.previous_response_id).toBe(first.id);
    expect((await openai.responses.retrieve(second.id)).previous_response_id).toBe(first.id);
    const stream = await openai.responses.create({
      model: 'echo',
      input: 'three',
      previous_response_id: second.id,
      stream: true,
    });
    const previousIds = new Set<string | null | undefined>();
    for await (const event of stream) {
      if ('response' in event) previousIds.add(event.response.previous_response_id);
    }
    expect([...previousIds]).toEqual([second.id]);
    // History sent whole names no response llmq made.
    const whole = await openai.responses.create({
      model: 'echo',
      input: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: 'two' },
      ],
    });
    expect(whole.previous_response_id).toBeNull();
  });

  it('shows a schema as strict when strict mode can hold it', async () => {
    const response = await openai.responses.create({
      model: 'echo',
      input: '{"name":"Rex"}',
      text: {
        format: {
          type: 'json_schema',
          name: 'dog',
          schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        },
      },
    });
    expect(response.text?.format).toMatchObject({ type: 'json_schema', strict: true });
  });

  it('is incomplete, with its reason, when the model stopped at max_output_tokens', async () => {
    const response = await openai.responses.create({
      model: 'local-responses',
      input: 'a long answer, please',
      max_output_tokens: 16,
    });
    expect(response).toMatchObject({ status: 'completed', incomplete_details: null });
    // The local server never stops short: its stored answer, as OpenAI's reads when it does.
    const row = await getPrompt(api().deps.services.db, response.id.slice('resp_'.length));
    if (!row) throw new Error('the response has no row');
    expect(row.responseJson).toMatchObject({ status: 'completed' });
    const cut = {
      ...row,
      responseJson: {
        ...(row.responseJson as object),
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      },
    };
    expect(responseOfRow(cut)).toMatchObject({
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', content: [{ type: 'output_text', text: row.response }] }],
    });
  });
});

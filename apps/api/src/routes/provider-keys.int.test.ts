import { countRowsByTable, listProviderKeys } from '@llmq/db/reads';
import { waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-provider-keys-test';
const providerKey = 'sk-stored-0123456789abcdef';
const keyHelp =
  'an admin stores it with `llmq provider-keys set openai` or PUT /v1/provider-keys/openai, or set OPENAI_API_KEY on the server and its workers';

// OpenAI-compatible models without OPENAI_API_KEY: they run only once a key is stored.
const api = useApi({
  adminKeys: [adminKey],
  secretKey: 'ab'.repeat(32),
  pluginSettings: {
    OPENAI_API_KEY: undefined,
    LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'local-text', stream: false }]),
  },
});
// A fleet without LLMQ_SECRET_KEY cannot store keys.
const secretless = useApi({ adminKeys: [adminKey] });

const asAdmin = { authorization: `Bearer ${adminKey}` };

interface ModelBody {
  id: string;
  available: boolean;
  unavailable_reason: string | null;
  default: boolean;
}

async function models(): Promise<ModelBody[]> {
  const response = await api().request('GET', '/v1/models', undefined, asAdmin);
  return ((await response.json()) as { data: ModelBody[] }).data;
}

/** Rows of every table and BullMQ jobs of every model: what "nothing was queued" compares. */
async function writes() {
  const harness = api();
  return {
    rows: await countRowsByTable(harness.services.database.db),
    jobs: await harness.services.queue.jobCounts(
      'waiting',
      'prioritized',
      'active',
      'delayed',
      'completed',
      'failed',
    ),
  };
}

describe('a model whose provider key is missing', () => {
  it('is listed as unavailable, saying where the key goes; echo is available and the default', async () => {
    const listed = await models();
    expect(listed.find((model) => model.id === 'local-text')).toMatchObject({
      available: false,
      unavailable_reason: `no openai key is configured on the server: ${keyHelp}`,
      default: false,
    });
    expect(listed.find((model) => model.id === 'echo')).toMatchObject({
      available: true,
      unavailable_reason: null,
      default: true,
    });
    // An OpenAI client picks from /models: it lists only what can run.
    const openAIModels = await api().request('GET', '/openai/v1/models', undefined, asAdmin);
    const openAIIds = ((await openAIModels.json()) as { data: { id: string }[] }).data.map(
      (model) => model.id,
    );
    expect(openAIIds).toContain('echo');
    expect(openAIIds).not.toContain('local-text');
  });

  it('refuses prompts, batches and chats for it before anything is queued', async () => {
    const before = await writes();
    const prompt = await problemOf(
      await api().request('POST', '/v1/prompts', { model: 'local-text', prompt: 'hi' }, asAdmin),
      422,
    );
    expect(prompt.type).toBe('urn:llmq:problem:model-unavailable');
    expect(prompt.detail).toBe(
      `Model local-text cannot run: no openai key is configured on the server: ${keyHelp}. Nothing was queued; GET /v1/models shows which models are available.`,
    );
    const batch = await problemOf(
      await api().request(
        'POST',
        '/v1/batches',
        { model: 'local-text', items: [{ prompt: 'a' }, { prompt: 'b' }] },
        asAdmin,
      ),
      422,
    );
    expect(batch.type).toBe('urn:llmq:problem:model-unavailable');
    const chat = await api().request(
      'POST',
      '/openai/v1/chat/completions',
      { model: 'local-text', messages: [{ role: 'user', content: 'hi' }] },
      asAdmin,
    );
    expect(chat.status).toBe(400);
    expect(((await chat.json()) as { error: { code: string } }).error.code).toBe(
      'model_unavailable',
    );
    expect(await writes()).toEqual(before);
  });
});

describe('provider keys stored through the API', () => {
  it('are for admin keys only: an owner key gets 403 problems', async () => {
    const created = await api().request('POST', '/v1/keys', { name: 'alice' }, asAdmin);
    const { key: alice } = (await created.json()) as { key: string };
    const asAlice = { authorization: `Bearer ${alice}` };
    for (const [method, path, body] of [
      ['PUT', '/v1/provider-keys/openai', { key: providerKey }],
      ['GET', '/v1/provider-keys', undefined],
      ['DELETE', '/v1/provider-keys/openai', undefined],
    ] as const) {
      const problem = await problemOf(await api().request(method, path, body, asAlice), 403);
      expect(problem.type).toBe('urn:llmq:problem:forbidden');
    }
    expect(await listProviderKeys(api().services.database.db)).toEqual([]);
  });

  it('refuse a name no model needs, naming the ones they do', async () => {
    const problem = await problemOf(
      await api().request('PUT', '/v1/provider-keys/mistral', { key: providerKey }, asAdmin),
      422,
    );
    expect(problem.detail).toContain('the names models need: anthropic, openai');
  });

  it('are stored encrypted, never returned, used at once, and deleted again', async () => {
    const harness = api();
    const stored = await harness.request(
      'PUT',
      '/v1/provider-keys/openai',
      { key: providerKey },
      asAdmin,
    );
    expect(stored.status).toBe(200);
    expect(await stored.json()).toMatchObject({
      name: 'openai',
      last_four: 'cdef',
      set_by: 'admin',
      models: ['local-text'],
    });
    const [row] = await listProviderKeys(harness.services.database.db);
    expect(row?.encrypted).toMatch(/^v1\./);
    expect(row?.encrypted).not.toContain(providerKey);
    expect(row?.encrypted).not.toContain(providerKey.slice(3, 15));
    const listed = await (
      await harness.request('GET', '/v1/provider-keys', undefined, asAdmin)
    ).text();
    expect(listed).not.toContain(providerKey.slice(0, -4));
    expect(JSON.parse(listed)).toMatchObject({ data: [{ name: 'openai', last_four: 'cdef' }] });

    expect((await models()).find((model) => model.id === 'local-text')).toMatchObject({
      available: true,
      unavailable_reason: null,
    });
    harness.openai.enqueue({ text: 'answered with the stored key' });
    const accepted = await harness.request(
      'POST',
      '/v1/prompts?wait=true',
      { model: 'local-text', prompt: 'hi' },
      asAdmin,
    );
    expect(await accepted.json()).toMatchObject({
      status: 'succeeded',
      text: 'answered with the stored key',
    });
    expect(harness.openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${providerKey}`);

    expect(
      (await harness.request('DELETE', '/v1/provider-keys/openai', undefined, asAdmin)).status,
    ).toBe(200);
    expect((await models()).find((model) => model.id === 'local-text')?.available).toBe(false);
    const gone = await problemOf(
      await harness.request('DELETE', '/v1/provider-keys/openai', undefined, asAdmin),
      404,
    );
    expect(gone.type).toBe('urn:llmq:problem:provider-key-not-found');
  });

  it('cannot be stored without LLMQ_SECRET_KEY in a fleet: a 409 problem names the variable', async () => {
    const problem = await problemOf(
      await secretless().request('PUT', '/v1/provider-keys/openai', { key: providerKey }, asAdmin),
      409,
    );
    expect(problem.type).toBe('urn:llmq:problem:secret-key-missing');
    expect(problem.detail).toContain('set LLMQ_SECRET_KEY');
  });

  it('refuse a key an HTTP header cannot carry, or one too short, with a 422 saying how to fix it', async () => {
    const harness = api();
    for (const key of [
      'sk-line\nbreak-0123456789',
      'sk-carriage\r\nreturn-0123',
      'sk-bell\u0007-0123456789',
      'sk-\u001b[31mcoloured-0123',
      'sk-inner space-0123456789',
      'sk-tab\t-0123456789',
      'sk-ключ-0123456789',
      'sk-del\u007f-0123456789',
    ]) {
      const problem = await problemOf(
        await harness.request('PUT', '/v1/provider-keys/openai', { key }, asAdmin),
        422,
      );
      expect(problem.type).toBe('urn:llmq:problem:validation-failed');
      expect(problem.detail).toBe(
        'The JSON body is invalid: key: a provider key is printable ASCII without spaces (it is sent in an HTTP header): this one holds a space, line break, control character, escape sequence or non-ASCII character; copy the key again from the provider, without quotes or surrounding text',
      );
    }
    const short = await problemOf(
      await harness.request('PUT', '/v1/provider-keys/openai', { key: ' sk-1234 ' }, asAdmin),
      422,
    );
    expect(short.detail).toBe(
      'The JSON body is invalid: key: a provider key has at least 8 characters: paste the whole key the provider gave you',
    );
    expect(await listProviderKeys(harness.services.database.db)).toEqual([]);
  });

  it('show no last four characters of a key shorter than 12, and do of one of 12', async () => {
    const harness = api();
    const short = await harness.request(
      'PUT',
      '/v1/provider-keys/openai',
      { key: 'sk-45678901' },
      asAdmin,
    );
    expect(short.status).toBe(200);
    expect(await short.json()).toMatchObject({ name: 'openai', last_four: null });
    const listed = await (
      await harness.request('GET', '/v1/provider-keys', undefined, asAdmin)
    ).text();
    expect(JSON.parse(listed)).toMatchObject({ data: [{ name: 'openai', last_four: null }] });
    expect(listed).not.toContain('8901');

    const twelve = await harness.request(
      'PUT',
      '/v1/provider-keys/openai',
      { key: 'sk-456789012' },
      asAdmin,
    );
    expect(await twelve.json()).toMatchObject({ last_four: '9012' });
    await harness.request('DELETE', '/v1/provider-keys/openai', undefined, asAdmin);
  });

  it('do not turn a retried request into a 422 once its key is deleted: the retry gets the prompt it made', async () => {
    const harness = api();
    const retry = { ...asAdmin, 'idempotency-key': 'retried-after-the-key-went' };
    await harness.request('PUT', '/v1/provider-keys/openai', { key: providerKey }, asAdmin);
    harness.openai.enqueue({ text: 'made once' });
    const first = await harness.request(
      'POST',
      '/v1/prompts?wait=true',
      { model: 'local-text', prompt: 'once' },
      retry,
    );
    const made = (await first.json()) as { id: string; status: string };
    expect(made.status).toBe('succeeded');
    await harness.request('DELETE', '/v1/provider-keys/openai', undefined, asAdmin);

    const again = await harness.request(
      'POST',
      '/v1/prompts?wait=true',
      { model: 'local-text', prompt: 'once' },
      retry,
    );
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toMatchObject({
      id: made.id,
      status: 'succeeded',
      text: 'made once',
    });
    const fresh = await problemOf(
      await harness.request(
        'POST',
        '/v1/prompts',
        { model: 'local-text', prompt: 'once' },
        { ...asAdmin, 'idempotency-key': 'a-new-request' },
      ),
      422,
    );
    expect(fresh.type).toBe('urn:llmq:problem:model-unavailable');
  });
});

describe('the default model', () => {
  it('runs prompts and batches that name none; a conversation continued without one keeps its model', async () => {
    const harness = api();
    const first = await harness.request(
      'POST',
      '/v1/prompts?wait=true',
      { prompt: 'no model named' },
      asAdmin,
    );
    const prompt = (await first.json()) as {
      model: string;
      status: string;
      conversation_id: string;
    };
    expect(prompt).toMatchObject({ model: 'echo', status: 'succeeded' });

    await harness.request('PUT', '/v1/provider-keys/openai', { key: providerKey }, asAdmin);
    harness.openai.enqueue({ text: 'first turn' }, { text: 'second turn' });
    const started = (await (
      await harness.request(
        'POST',
        '/v1/prompts?wait=true',
        { model: 'local-text', prompt: 'one' },
        asAdmin,
      )
    ).json()) as { conversation_id: string; status: string };
    expect(started.status).toBe('succeeded');
    const continued = await harness.request(
      'POST',
      '/v1/prompts?wait=true',
      { prompt: 'two', conversation_id: started.conversation_id },
      asAdmin,
    );
    expect(await continued.json()).toMatchObject({ model: 'local-text', status: 'succeeded' });
    await harness.request('DELETE', '/v1/provider-keys/openai', undefined, asAdmin);

    const batch = await harness.request(
      'POST',
      '/v1/batches',
      { prompt: 'the batch prompt', items: [{ prompt: 'its own' }, {}] },
      asAdmin,
    );
    expect(batch.status).toBe(201);
    expect(await batch.json()).toMatchObject({ model: 'echo' });
  });
});

describe('a batch whose items give their own prompts', () => {
  it('counts them, as JSON and as a JSONL file, and uses the batch prompt only for the others', async () => {
    const harness = api();
    const response = await harness.request(
      'POST',
      '/v1/batches',
      {
        model: 'echo',
        prompt: 'the batch prompt',
        items: [{ prompt: 'own one' }, { custom_id: 'none' }, { prompt: 'own two' }],
      },
      asAdmin,
    );
    const batch = (await response.json()) as { id: string; items_with_own_prompt: number };
    expect(batch.items_with_own_prompt).toBe(2);
    const read = await harness.request('GET', `/v1/batches/${batch.id}`, undefined, asAdmin);
    expect(await read.json()).toMatchObject({
      prompt: 'the batch prompt',
      items_with_own_prompt: 2,
    });
    await waitFor(async () => {
      const got = await harness.request('GET', `/v1/batches/${batch.id}`, undefined, asAdmin);
      return ((await got.json()) as { status: string }).status === 'completed';
    }, 'the batch to complete');
    // Results are written to the Node response, so they are read over the socket.
    const lines = (
      await (
        await fetch(`${harness.baseUrl}/v1/batches/${batch.id}/results`, { headers: asAdmin })
      ).text()
    )
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { text: string });
    expect(lines.map((line) => (JSON.parse(line.text) as { prompt: string }).prompt)).toEqual([
      'own one',
      'the batch prompt',
      'own two',
    ]);

    const form = new FormData();
    form.set('prompt', 'the form prompt');
    form.set(
      'file',
      new Blob(['{"prompt":"own"}\n{}\n{}\n'], { type: 'application/jsonl' }),
      'items.jsonl',
    );
    const uploaded = await fetch(`${harness.baseUrl}/v1/batches`, {
      method: 'POST',
      headers: asAdmin,
      body: form,
    });
    expect(uploaded.status).toBe(201);
    expect(await uploaded.json()).toMatchObject({
      model: 'echo',
      prompt: 'the form prompt',
      items_with_own_prompt: 1,
    });
  });
});

import { batchCounts, countRowsByTable } from '@llmq/db/reads';
import { sampleFiles, waitFor } from '@llmq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-key-for-delete-tests-0123456789';
const api = useApi({ adminKeys: [adminKey] });

const call = (method: string, path: string, key: string, body?: unknown) =>
  api().app.request(path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const json = async <T>(response: Response): Promise<T> => {
  if (response.status >= 400) throw new Error(`${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
};

const rows = async () =>
  (await countRowsByTable(api().services.database.db)) as Record<string, number>;

let alice: string;
let bob: string;

async function prompt(key: string, body: Record<string, unknown>): Promise<string> {
  return (
    await json<{ id: string }>(await call('POST', '/v1/prompts', key, { model: 'echo', ...body }))
  ).id;
}

async function ended(key: string, id: string): Promise<{ conversation_id: string }> {
  let row: { status: string; conversation_id: string } | undefined;
  await waitFor(async () => {
    row = await json(await call('GET', `/v1/prompts/${id}`, key));
    return ['succeeded', 'failed', 'cancelled'].includes(row?.status ?? '');
  }, `prompt ${id} to end`);
  return row as { conversation_id: string };
}

async function batchEnded(key: string, id: string): Promise<void> {
  await waitFor(
    async () =>
      ['completed', 'failed', 'cancelled'].includes(
        (await json<{ status: string }>(await call('GET', `/v1/batches/${id}`, key))).status,
      ),
    `batch ${id} to end`,
  );
}

async function upload(key: string, bytes: Uint8Array): Promise<string> {
  const response = await api().app.request('/v1/attachments', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'image/gif' },
    body: bytes,
  });
  return (await json<{ id: string }>(response)).id;
}

beforeAll(async () => {
  const create = async (name: string) =>
    (await json<{ key: string }>(await call('POST', '/v1/keys', adminKey, { name }))).key;
  alice = await create('alice');
  bob = await create('bob');
});

describe('DELETE /v1/prompts/{id}', () => {
  it('deletes an ended prompt with its event log, and nothing else', async () => {
    const kept = await prompt(alice, { prompt: 'keep me' });
    const gone = await prompt(alice, { prompt: 'delete me' });
    await ended(alice, kept);
    await ended(alice, gone);
    const before = await rows();
    await problemOf(await call('DELETE', `/v1/prompts/${gone}`, bob), 404);
    const deleted = await json<{ id: string; deleted: boolean }>(
      await call('DELETE', `/v1/prompts/${gone}`, alice),
    );
    expect(deleted).toEqual({ id: gone, deleted: true });
    await problemOf(await call('GET', `/v1/prompts/${gone}`, alice), 404);
    expect(await api().services.events.exists(gone)).toBe(false);
    expect((await json<{ id: string }>(await call('GET', `/v1/prompts/${kept}`, alice))).id).toBe(
      kept,
    );
    const after = await rows();
    expect(after.responses).toBe((before.responses ?? 0) - 1);
    expect(after.conversations).toBe((before.conversations ?? 0) - 1);
    await problemOf(await call('DELETE', `/v1/prompts/${gone}`, alice), 404);
  });

  it('refuses a running prompt (cancel it first) and a batch’s item (delete the batch)', async () => {
    const running = await prompt(alice, { prompt: 'slow', options: { delay_ms: 20_000 } });
    const refused = await problemOf(await call('DELETE', `/v1/prompts/${running}`, alice), 409);
    expect(refused.detail).toContain(`cancel it first (POST /v1/prompts/${running}/cancel)`);
    await json(await call('POST', `/v1/prompts/${running}/cancel`, alice));
    await ended(alice, running);
    expect((await call('DELETE', `/v1/prompts/${running}`, alice)).status).toBe(200);

    const batch = await json<{ id: string }>(
      await call('POST', '/v1/batches', alice, { model: 'echo', items: [{ prompt: 'one' }] }),
    );
    await batchEnded(alice, batch.id);
    const items = await json<{ data: Array<{ id: string }> }>(
      await call('GET', `/v1/prompts?batch_id=${batch.id}`, alice),
    );
    const item = items.data[0]?.id as string;
    const itemRefused = await problemOf(await call('DELETE', `/v1/prompts/${item}`, alice), 409);
    expect(itemRefused.detail).toContain(`DELETE /v1/batches/${batch.id}`);
  });

  it('refuses a turn that later turns replay, naming the conversation', async () => {
    const first = await prompt(alice, { prompt: 'turn one' });
    const { conversation_id } = await ended(alice, first);
    await ended(alice, await prompt(alice, { prompt: 'turn two', conversation_id }));
    const refused = await problemOf(await call('DELETE', `/v1/prompts/${first}`, alice), 409);
    expect(refused.detail).toContain(`DELETE /v1/conversations/${conversation_id}`);
  });
});

describe('DELETE /v1/conversations/{id}', () => {
  it('deletes every turn once all have ended; 409 before, 404 for another owner', async () => {
    const bobsPrompt = await prompt(bob, { prompt: 'bob’s own' });
    await ended(bob, bobsPrompt);
    const first = await prompt(alice, { prompt: 'one' });
    const { conversation_id } = await ended(alice, first);
    const second = await prompt(alice, { prompt: 'two', conversation_id });
    await ended(alice, second);
    const third = await prompt(alice, {
      prompt: 'three',
      conversation_id,
      options: { delay_ms: 20_000 },
    });
    const refused = await problemOf(
      await call('DELETE', `/v1/conversations/${conversation_id}`, alice),
      409,
    );
    expect(refused.detail).toContain(third);
    expect(refused.detail).toContain('cancel them first');
    await json(await call('POST', `/v1/prompts/${third}/cancel`, alice));
    await ended(alice, third);

    await problemOf(await call('DELETE', `/v1/conversations/${conversation_id}`, bob), 404);
    const before = await rows();
    const deleted = await json<{ id: string; deleted: boolean; prompts: number }>(
      await call('DELETE', `/v1/conversations/${conversation_id}`, alice),
    );
    expect(deleted).toEqual({ id: conversation_id, deleted: true, prompts: 3 });
    await problemOf(await call('GET', `/v1/conversations/${conversation_id}`, alice), 404);
    for (const id of [first, second, third]) {
      await problemOf(await call('GET', `/v1/prompts/${id}`, alice), 404);
      expect(await api().services.events.exists(id)).toBe(false);
    }
    const after = await rows();
    expect(after.responses).toBe((before.responses ?? 0) - 3);
    expect(after.conversations).toBe((before.conversations ?? 0) - 1);
    expect(
      (await json<{ id: string }>(await call('GET', `/v1/prompts/${bobsPrompt}`, bob))).id,
    ).toBe(bobsPrompt);
  });
});

describe('DELETE /v1/batches/{id}', () => {
  it('deletes an ended batch with its items; 409 while it runs, 404 for another owner', async () => {
    const running = await json<{ id: string }>(
      await call('POST', '/v1/batches', alice, {
        model: 'echo',
        options: { delay_ms: 20_000 },
        items: [{ prompt: 'slow' }],
      }),
    );
    const refused = await problemOf(await call('DELETE', `/v1/batches/${running.id}`, alice), 409);
    expect(refused.detail).toContain(`cancel it first (POST /v1/batches/${running.id}/cancel)`);
    await json(await call('POST', `/v1/batches/${running.id}/cancel`, alice));
    await batchEnded(alice, running.id);

    const batch = await json<{ id: string }>(
      await call('POST', '/v1/batches', alice, {
        model: 'echo',
        items: [{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c' }],
      }),
    );
    await batchEnded(alice, batch.id);
    const items = await json<{ data: Array<{ id: string }> }>(
      await call('GET', `/v1/prompts?batch_id=${batch.id}`, alice),
    );
    expect(items.data).toHaveLength(3);
    await problemOf(await call('DELETE', `/v1/batches/${batch.id}`, bob), 404);
    const before = await rows();
    const deleted = await json<{ prompts: number }>(
      await call('DELETE', `/v1/batches/${batch.id}`, alice),
    );
    expect(deleted).toEqual({ id: batch.id, deleted: true, prompts: 3 });
    await problemOf(await call('GET', `/v1/batches/${batch.id}`, alice), 404);
    for (const item of items.data) {
      await problemOf(await call('GET', `/v1/prompts/${item.id}`, alice), 404);
    }
    const after = await rows();
    expect(after.batches).toBe((before.batches ?? 0) - 1);
    expect(after.responses).toBe((before.responses ?? 0) - 3);
    expect((await call('GET', `/v1/batches/${running.id}`, alice)).status).toBe(200);
  });
});

describe('DELETE /v1/batches/{id} of a batch nobody read since it ended', () => {
  it('deletes it: whether it ended is read from its items, not the stored status', async () => {
    const batch = await json<{ id: string }>(
      await call('POST', '/v1/batches', alice, {
        model: 'echo',
        items: [{ prompt: 'a' }, { prompt: 'b' }],
      }),
    );
    const db = api().services.database.db;
    // Not through GET /v1/batches/{id}, which would write the status back.
    await waitFor(
      async () => (await batchCounts(db, batch.id)).succeeded === 2,
      `batch ${batch.id}'s items to end`,
    );
    const deleted = await json<{ prompts: number }>(
      await call('DELETE', `/v1/batches/${batch.id}`, alice),
    );
    expect(deleted).toEqual({ id: batch.id, deleted: true, prompts: 2 });
  });
});

describe('DELETE /v1/attachments/{id}', () => {
  it('takes the attachment away from its owner once no prompt of theirs uses it', async () => {
    const bytes = sampleFiles.gif;
    const id = await upload(alice, bytes);
    const used = await prompt(alice, { prompt: 'look', attachments: [{ id }] });
    const { conversation_id } = await ended(alice, used);
    await problemOf(await call('DELETE', `/v1/attachments/${id}`, bob), 404);
    const refused = await problemOf(await call('DELETE', `/v1/attachments/${id}`, alice), 409);
    expect(refused.detail).toContain(used);
    expect(refused.detail).toContain(`DELETE /v1/conversations/${conversation_id}`);

    await json(await call('DELETE', `/v1/conversations/${conversation_id}`, alice));
    expect(await json(await call('DELETE', `/v1/attachments/${id}`, alice))).toEqual({
      id,
      deleted: true,
    });
    await problemOf(await call('GET', `/v1/attachments/${id}`, alice), 404);
    await problemOf(await call('DELETE', `/v1/attachments/${id}`, alice), 404);
    // The row stays until the blob collector takes it, after its grace period.
    expect(await api().services.blobs.has(id)).toBe(true);

    // Another owner that uploaded the same bytes keeps them.
    expect(await upload(bob, bytes)).toBe(id);
    expect((await call('GET', `/v1/attachments/${id}`, bob)).status).toBe(200);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-key-for-schema-tests-0123456789';
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

interface SchemaPage {
  data: Array<{ id: string; schema: Record<string, unknown>; created_at: string }>;
  next_cursor: string | null;
}

let alice: string;
let bob: string;
const aliceSchemas: string[] = [];
let bobSchema: string;

beforeAll(async () => {
  const create = async (name: string) =>
    (await json<{ key: string }>(await call('POST', '/v1/keys', adminKey, { name }))).key;
  alice = await create('alice');
  bob = await create('bob');
  for (const fields of ['one', 'two', 'three']) {
    const prompt = await json<{ id: string }>(
      await call('POST', '/v1/prompts', alice, { model: 'echo', prompt: 'x', schema: fields }),
    );
    const row = await json<{ schema_id: string }>(
      await call('GET', `/v1/prompts/${prompt.id}`, alice),
    );
    aliceSchemas.push(row.schema_id);
  }
  const batch = await json<{ schema_id: string }>(
    await call('POST', '/v1/batches', bob, {
      model: 'echo',
      schema: 'bob_only int',
      items: [{ prompt: 'y' }],
    }),
  );
  bobSchema = batch.schema_id;
});

describe('stored schemas per owner', () => {
  it('lists an owner’s schemas newest first, a page at a time', async () => {
    const first = await json<SchemaPage>(await call('GET', '/v1/schemas?limit=2', alice));
    expect(first.data.map((each) => each.id)).toEqual([aliceSchemas[2], aliceSchemas[1]]);
    expect(first.next_cursor).toBe(aliceSchemas[1]);
    const second = await json<SchemaPage>(
      await call('GET', `/v1/schemas?limit=2&cursor=${first.next_cursor}`, alice),
    );
    expect(second.data.map((each) => each.id)).toEqual([aliceSchemas[0]]);
    expect(second.next_cursor).toBeNull();
    expect(second.data[0]?.schema).toEqual({
      type: 'object',
      properties: { one: { type: 'string' } },
      required: ['one'],
    });
  });

  it('shows only the schemas an owner uses: another owner’s is 404, and unknown as a prompt’s schema', async () => {
    const shown = await json<{ id: string }>(await call('GET', `/v1/schemas/${bobSchema}`, bob));
    expect(shown.id).toBe(bobSchema);
    expect((await json<SchemaPage>(await call('GET', '/v1/schemas', bob))).data).toHaveLength(1);
    await problemOf(await call('GET', `/v1/schemas/${bobSchema}`, alice), 404);
    const refused = await problemOf(
      await call('POST', '/v1/prompts', alice, { model: 'echo', prompt: 'z', schema: bobSchema }),
      422,
    );
    expect(refused.type).toBe('urn:llmq:problem:unknown-schema');
    // An admin key is an owner of its own (`admin`), as for prompts: it uses none of these.
    expect((await json<SchemaPage>(await call('GET', '/v1/schemas', adminKey))).data).toEqual([]);
  });

  it('filters an owner’s prompts by schema, and not another’s', async () => {
    const mine = await json<{ data: unknown[] }>(
      await call('GET', `/v1/prompts?schema=${aliceSchemas[0]}`, alice),
    );
    expect(mine.data).toHaveLength(1);
    const theirs = await json<{ data: unknown[] }>(
      await call('GET', `/v1/prompts?schema=${aliceSchemas[0]}`, bob),
    );
    expect(theirs.data).toHaveLength(0);
  });
});

import { executeRows } from '@llmq/db';
import { waitFor } from '@llmq/testing';
import OpenAI, { toFile } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-facade-expiry-admin-0123456789';
const api = useApi({ adminKeys: [adminKey] });

let alice: OpenAI;
let bob: OpenAI;

/** Raw SQL for backdating: the facade has no way to make time pass. */
const execute = (query: string) => api().services.database.db.execute(query);

beforeAll(async () => {
  const key = async (name: string) => {
    const response = await api().request(
      'POST',
      '/v1/keys',
      { name },
      { authorization: `Bearer ${adminKey}` },
    );
    return ((await response.json()) as { key: string }).key;
  };
  const client = async (name: string) =>
    new OpenAI({
      apiKey: await key(name),
      baseURL: `${api().baseUrl}/openai/v1`,
      maxRetries: 0,
    });
  alice = await client('alice');
  bob = await client('bob');
});

const lines = (count: number) =>
  Array.from({ length: count }, (_, index) =>
    JSON.stringify({
      custom_id: `line-${index}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'echo', messages: [{ role: 'user', content: `hello ${index}` }] },
    }),
  ).join('\n');

describe('files’ expires_after (the openai SDK)', () => {
  it('shows expires_at from the policy and stops serving the file once it has passed', async () => {
    const file = await alice.files.create({
      file: await toFile(Buffer.from(lines(1)), 'input.jsonl'),
      purpose: 'batch',
      expires_after: { anchor: 'created_at', seconds: 3_600 },
    });
    expect(file.expires_at).toBe(file.created_at + 3_600);
    expect((await alice.files.retrieve(file.id)).expires_at).toBe(file.created_at + 3_600);
    // Exactly, not to the second: the upload's commit does not shorten the file's life.
    const [stored] = await executeRows<{ exact: boolean }>(
      api().services.database.db,
      `select expires_at - created_at = interval '3600 seconds' as exact from files
        where id = '${file.id}'`,
    );
    expect(stored?.exact).toBe(true);
    const kept = await alice.files.create({
      file: await toFile(Buffer.from(lines(2)), 'kept.jsonl'),
      purpose: 'batch',
    });
    expect(kept.expires_at).toBeNull();

    await execute(
      `update files set expires_at = now() - interval '1 second' where id = '${file.id}'`,
    );
    await expect(alice.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(alice.files.content(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(alice.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const listed = [];
    for await (const each of alice.files.list()) listed.push(each.id);
    expect(listed).toContain(kept.id);
    expect(listed).not.toContain(file.id);
    await expect(
      alice.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it.each([
    [{ anchor: 'created_at', seconds: 60 }, 'expires_after[seconds]'],
    [{ anchor: 'created_at', seconds: 2_592_001 }, 'expires_after[seconds]'],
    [{ anchor: 'last_active_at', seconds: 3_600 }, 'expires_after[anchor]'],
  ] as const)('refuses %o, naming the field and the range', async (policy, param) => {
    const before = (await alice.files.list()).data.length;
    const refused = await alice.files
      .create({
        file: await toFile(Buffer.from(lines(1)), 'input.jsonl'),
        purpose: 'batch',
        expires_after: policy as never,
      })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.BadRequestError);
    expect((refused as InstanceType<typeof OpenAI.BadRequestError>).param).toBe(param);
    expect((refused as Error).message).toMatch(/3600 \(1 hour\) to 2592000|created_at/);
    expect((await alice.files.list()).data.length).toBe(before);
  });
});

describe('DELETE /openai/v1/files/{id} (the openai SDK)', () => {
  it('deletes the owner’s file in OpenAI’s shape; another owner’s is not found', async () => {
    const file = await alice.files.create({
      file: await toFile(Buffer.from(lines(3)), 'input.jsonl'),
      purpose: 'batch',
    });
    await expect(bob.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect((await alice.files.retrieve(file.id)).id).toBe(file.id);
    expect(await alice.files.delete(file.id)).toEqual({
      id: file.id,
      object: 'file',
      deleted: true,
    });
    await expect(alice.files.retrieve(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(alice.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});

describe('batches’ output_expires_after (the openai SDK)', () => {
  it('serves the output until the policy’s seconds after the batch ended', async () => {
    const input = await alice.files.create({
      file: await toFile(Buffer.from(lines(2)), 'input.jsonl'),
      purpose: 'batch',
    });
    const created = await alice.batches.create({
      input_file_id: input.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      output_expires_after: { anchor: 'created_at', seconds: 3_600 },
    });
    let batch = created;
    await waitFor(async () => {
      batch = await alice.batches.retrieve(created.id);
      return batch.status === 'completed';
    }, 'the batch to complete');
    const outputId = batch.output_file_id as string;
    const output = await alice.files.retrieve(outputId);
    expect(output.expires_at).toBe((batch.completed_at as number) + 3_600);
    // Stored exactly (what retention counts from the batch's end), not to the second.
    const [stored] = await executeRows<{ exact: boolean }>(
      api().services.database.db,
      `select output_expires_at - created_at = interval '3600 seconds' as exact from batches
        where id = '${created.id}'`,
    );
    expect(stored?.exact).toBe(true);
    expect((await (await alice.files.content(outputId)).text()).trim().split('\n')).toHaveLength(2);

    // Ended 59 minutes ago: still served.
    await execute(
      `update batches set completed_at = now() - interval '59 minutes' where id = '${created.id}'`,
    );
    expect((await alice.files.retrieve(outputId)).id).toBe(outputId);
    // Ended 61 minutes ago: expired.
    await execute(
      `update batches set completed_at = now() - interval '61 minutes' where id = '${created.id}'`,
    );
    await expect(alice.files.retrieve(outputId)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(alice.files.content(outputId)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('refuses seconds out of OpenAI’s range', async () => {
    const input = await alice.files.create({
      file: await toFile(Buffer.from(lines(1)), 'input.jsonl'),
      purpose: 'batch',
    });
    await expect(
      alice.batches.create({
        input_file_id: input.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        output_expires_after: { anchor: 'created_at', seconds: 10 },
      }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

import { Writable } from 'node:stream';
import { createLogger } from '@llmq/logging';
import { makePng } from '@llmq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';
import { createStreamToken } from './stream-token.ts';
import { streamTokenSecret } from './token-secret.ts';

const adminKey = 'admin-key-for-tests-0123456789';
const api = useApi({ adminKeys: [adminKey] });

const call = (
  method: string,
  path: string,
  key?: string,
  body?: unknown,
  extra: Record<string, string> = {},
) =>
  api().app.request(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...extra,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const json = async <T>(response: Response): Promise<T> => {
  if (response.status >= 400) throw new Error(`${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
};

let alice: string;
let bob: string;
let revoked: string;
let alicePrompt: { id: string; conversation_id: string };
let aliceAttachment: string;
let aliceBatch: string;

beforeAll(async () => {
  const create = async (name: string) =>
    await json<{ id: string; key: string }>(await call('POST', '/v1/keys', adminKey, { name }));
  alice = (await create('alice')).key;
  bob = (await create('bob')).key;
  const revokedKey = await create('gone');
  revoked = revokedKey.key;
  await json(await call('DELETE', `/v1/keys/${revokedKey.id}`, adminKey));
  const uploaded = await api().app.request('/v1/attachments', {
    method: 'POST',
    headers: { authorization: `Bearer ${alice}`, 'content-type': 'image/png' },
    body: makePng(9, 9, 9),
  });
  aliceAttachment = ((await uploaded.json()) as { id: string }).id;
  alicePrompt = await json(
    await call('POST', '/v1/prompts?wait=true', alice, {
      model: 'echo',
      prompt: 'alice only',
      attachments: [{ id: aliceAttachment }],
    }),
  );
  aliceBatch = (
    await json<{ id: string }>(
      await call('POST', '/v1/batches', alice, { model: 'echo', items: [{ prompt: 'b' }] }),
    )
  ).id;
});

/** Every /v1 route, with a path to call it at. */
const routes = () => [
  ['GET', '/v1/models'],
  ['POST', '/v1/attachments'],
  ['GET', '/v1/attachments'],
  ['GET', `/v1/attachments/${aliceAttachment}`],
  ['GET', `/v1/attachments/${aliceAttachment}/content`],
  ['POST', '/v1/prompts'],
  ['GET', '/v1/prompts'],
  ['GET', `/v1/prompts/${alicePrompt.id}`],
  ['GET', `/v1/prompts/${alicePrompt.id}/stream`],
  ['POST', `/v1/prompts/${alicePrompt.id}/cancel`],
  ['POST', `/v1/prompts/${alicePrompt.id}/token`],
  ['GET', '/v1/conversations'],
  ['GET', `/v1/conversations/${alicePrompt.conversation_id}`],
  ['POST', '/v1/batches'],
  ['GET', '/v1/batches'],
  ['GET', `/v1/batches/${aliceBatch}`],
  ['GET', `/v1/batches/${aliceBatch}/results`],
  ['GET', `/v1/batches/${aliceBatch}/stream`],
  ['POST', `/v1/batches/${aliceBatch}/cancel`],
  ['POST', `/v1/batches/${aliceBatch}/retry`],
  ['POST', `/v1/batches/${aliceBatch}/token`],
  ['POST', '/v1/keys'],
  ['GET', '/v1/keys'],
  ['DELETE', '/v1/keys/anything'],
  ['PATCH', '/v1/keys/anything'],
  ['GET', '/v1/owners/anyone/limits'],
  ['PUT', '/v1/owners/anyone/limits'],
  ['DELETE', '/v1/owners/anyone/limits'],
  ['GET', '/v1/limits'],
];

describe('API keys', () => {
  it('refuses every /v1 route without a key, with a wrong key and with a revoked key (401)', async () => {
    for (const [method, path] of routes()) {
      for (const key of [undefined, 'not-a-key', revoked]) {
        const response = await call(method as string, path as string, key);
        const problem = await problemOf(response, 401);
        expect(problem.detail).toMatch(key ? /not valid/ : /Authorization: Bearer/);
      }
    }
    expect((await call('GET', '/healthz')).status).toBe(200);
  });

  it("answers another owner's ids with 404, exactly like ids that do not exist", async () => {
    const owned = [
      ['GET', `/v1/prompts/${alicePrompt.id}`],
      ['GET', `/v1/prompts/${alicePrompt.id}/stream`],
      ['POST', `/v1/prompts/${alicePrompt.id}/cancel`],
      ['POST', `/v1/prompts/${alicePrompt.id}/token`],
      ['GET', `/v1/conversations/${alicePrompt.conversation_id}`],
      ['GET', `/v1/batches/${aliceBatch}`],
      ['GET', `/v1/batches/${aliceBatch}/results`],
      ['GET', `/v1/batches/${aliceBatch}/stream`],
      ['POST', `/v1/batches/${aliceBatch}/cancel`],
      ['POST', `/v1/batches/${aliceBatch}/retry`],
      ['POST', `/v1/batches/${aliceBatch}/token`],
      ['GET', `/v1/attachments/${aliceAttachment}`],
      ['GET', `/v1/attachments/${aliceAttachment}/content`],
    ];
    for (const [method, path] of owned) {
      const other = await problemOf(await call(method as string, path as string, bob), 404);
      const missingPath = (path as string)
        .replace(alicePrompt.id, '01jzzzzzzzzzzzzzzzzzzzzzzz')
        .replace(aliceBatch, '01jzzzzzzzzzzzzzzzzzzzzzzz')
        .replace(alicePrompt.conversation_id, '01jzzzzzzzzzzzzzzzzzzzzzzz')
        .replace(aliceAttachment, '0'.repeat(64));
      const missing = await problemOf(await call(method as string, missingPath, bob), 404);
      expect(other.title).toBe(missing.title);
      expect(other.type).toBe(missing.type);
    }
    // Knowing the hash is not access: using it in a prompt fails as for unknown bytes.
    const refused = await problemOf(
      await call('POST', '/v1/prompts', bob, {
        model: 'echo',
        attachments: [{ id: aliceAttachment }],
      }),
      422,
    );
    expect(refused.type).toBe('urn:llmq:problem:attachment-not-found');
    // Listings hold only one's own.
    expect((await json<{ data: unknown[] }>(await call('GET', '/v1/prompts', bob))).data).toEqual(
      [],
    );
    expect((await json<{ data: unknown[] }>(await call('GET', '/v1/batches', bob))).data).toEqual(
      [],
    );
    expect(
      (await json<{ data: unknown[] }>(await call('GET', '/v1/conversations', bob))).data,
    ).toEqual([]);
    expect(
      (await json<{ data: unknown[] }>(await call('GET', '/v1/attachments', bob))).data,
    ).toEqual([]);
    expect(
      (
        await json<{ data: Array<{ id: string }> }>(await call('GET', '/v1/prompts', alice))
      ).data.map((row) => row.id),
    ).toContain(alicePrompt.id);
  });

  it('lets an owner see bytes after uploading them itself', async () => {
    const uploaded = await api().app.request('/v1/attachments', {
      method: 'POST',
      headers: { authorization: `Bearer ${bob}`, 'content-type': 'image/png' },
      body: makePng(9, 9, 9),
    });
    expect(((await uploaded.json()) as { id: string }).id).toBe(aliceAttachment);
    expect((await call('GET', `/v1/attachments/${aliceAttachment}`, bob)).status).toBe(200);
  });

  it('answers an upload the same whether or not another owner stored those bytes', async () => {
    const upload = (key: string, body: RequestInit['body'], type?: string) =>
      fetch(`${api().baseUrl}/v1/attachments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, ...(type ? { 'content-type': type } : {}) },
        body,
      });
    const answer = async (response: Response) => ({
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
    });
    const theirs = makePng(3, 1, 4);
    const never = makePng(2, 7, 1);
    await json(await upload(alice, theirs, 'image/png'));
    // Bytes alice stored and bytes nobody stored: bob is told the same, that they are new to him.
    const seenElsewhere = await answer(await upload(bob, theirs, 'image/png'));
    const unseen = await answer(await upload(bob, never, 'image/png'));
    expect(seenElsewhere.status).toBe(201);
    expect(seenElsewhere.body.created).toBe(true);
    expect({ ...seenElsewhere.body, id: '' }).toEqual({ ...unseen.body, id: '' });
    expect(seenElsewhere.status).toBe(unseen.status);
    // Only what bob himself had before answers 200.
    const again = await answer(await upload(bob, theirs, 'image/png'));
    expect(again).toEqual({ status: 200, body: { ...seenElsewhere.body, created: false } });
    // The same in a multipart body.
    const shared = makePng(5, 9, 2);
    await json(await upload(alice, shared, 'image/png'));
    const body = new FormData();
    body.append('file', new Blob([Buffer.from(shared)], { type: 'image/png' }), 'a.png');
    const multipart = await answer(await upload(bob, body));
    expect(multipart.status).toBe(201);
    expect(multipart.body.data).toEqual([expect.objectContaining({ created: true })]);
  });

  it('keeps key management to admin keys, and shows a key only once', async () => {
    expect(
      (await problemOf(await call('POST', '/v1/keys', alice, { name: 'x' }), 403)).detail,
    ).toContain('admin');
    const keys = await json<{ data: Array<Record<string, unknown>> }>(
      await call('GET', '/v1/keys', adminKey),
    );
    expect(keys.data.map((key) => key.name)).toEqual(
      expect.arrayContaining(['alice', 'bob', 'gone']),
    );
    expect(JSON.stringify(keys)).not.toContain(alice);
    expect(keys.data.find((key) => key.name === 'gone')?.revoked_at).not.toBeNull();
  });

  it('answers revoking an unknown key with key-not-found, naming it and how to list keys', async () => {
    const unknown = '01jzzzzzzzzzzzzzzzzzzzzzzz';
    const response = await fetch(`${api().baseUrl}/v1/keys/${unknown}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminKey}` },
    });
    const problem = await problemOf(response, 404);
    expect(problem.type).toBe('urn:llmq:problem:key-not-found');
    expect(problem.title).toBe('Not found');
    expect(problem.detail).toBe(
      `No key has the id ${unknown}; GET /v1/keys lists the keys, revoked ones too`,
    );
  });
});

describe('stream tokens', () => {
  it('let a browser read one stream with ?token=, and nothing else', async () => {
    const { token } = await json<{ token: string }>(
      await call('POST', `/v1/prompts/${alicePrompt.id}/token`, alice),
    );
    const stream = await fetch(
      `${api().baseUrl}/v1/prompts/${alicePrompt.id}/stream?token=${encodeURIComponent(token)}`,
    );
    expect(stream.status).toBe(200);
    expect(await stream.text()).toContain('event: done');
    const other = await json<{ id: string }>(
      await call('POST', '/v1/prompts', alice, { model: 'echo', prompt: 'another' }),
    );
    await problemOf(
      await call('GET', `/v1/prompts/${other.id}/stream?token=${encodeURIComponent(token)}`),
      401,
    );
    await problemOf(
      await call('GET', `/v1/prompts/${alicePrompt.id}?token=${encodeURIComponent(token)}`),
      401,
    );
    const forged = `${token.split('.')[0]}.${'A'.repeat(43)}`;
    await problemOf(
      await call('GET', `/v1/prompts/${alicePrompt.id}/stream?token=${encodeURIComponent(forged)}`),
      401,
    );
    const expired = createStreamToken(streamTokenSecret(undefined, [adminKey]), {
      kind: 'prompt',
      id: alicePrompt.id,
      owner: 'whoever',
      expires: Math.floor(Date.now() / 1000) - 1,
      credential: '',
    });
    const problem = await problemOf(
      await call(
        'GET',
        `/v1/prompts/${alicePrompt.id}/stream?token=${encodeURIComponent(expired)}`,
      ),
      401,
    );
    expect(problem.detail).toContain('expired, forged or for another one');
    const batchToken = await json<{ token: string; stream_url: string }>(
      await call('POST', `/v1/batches/${aliceBatch}/token`, alice),
    );
    await problemOf(
      await call(
        'GET',
        `/v1/prompts/${alicePrompt.id}/stream?token=${encodeURIComponent(batchToken.token)}`,
      ),
      401,
    );
    const batchStream = await fetch(`${api().baseUrl}${batchToken.stream_url}`);
    expect(batchStream.status).toBe(200);
    expect(await batchStream.text()).toContain('event: done');
  });
});

describe('stream tokens and their keys', () => {
  const streamWith = (path: string, token: string) =>
    fetch(`${api().baseUrl}${path}?token=${encodeURIComponent(token)}`);

  it('stop working once the key that asked for them is revoked', async () => {
    const carol = await json<{ id: string; key: string }>(
      await call('POST', '/v1/keys', adminKey, { name: 'carol' }),
    );
    const prompt = await json<{ id: string }>(
      await call('POST', '/v1/prompts?wait=true', carol.key, { model: 'echo', prompt: 'carol' }),
    );
    const { token } = await json<{ token: string }>(
      await call('POST', `/v1/prompts/${prompt.id}/token`, carol.key),
    );
    const path = `/v1/prompts/${prompt.id}/stream`;
    const before = await streamWith(path, token);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain('event: done');
    await json(await call('DELETE', `/v1/keys/${carol.id}`, adminKey));
    const problem = await problemOf(await streamWith(path, token), 401);
    expect(problem.detail).toContain('The key this stream token was made with is no longer valid');
    expect(problem.detail).toContain(`POST /v1/prompts/${prompt.id}/token`);
  });

  it('work for an admin key the server has, and never for a key it does not have', async () => {
    const prompt = await json<{ id: string }>(
      await call('POST', '/v1/prompts?wait=true', adminKey, { model: 'echo', prompt: 'admin' }),
    );
    const path = `/v1/prompts/${prompt.id}/stream`;
    const { token } = await json<{ token: string }>(
      await call('POST', `/v1/prompts/${prompt.id}/token`, adminKey),
    );
    const admins = await streamWith(path, token);
    expect(admins.status).toBe(200);
    expect(await admins.text()).toContain('event: done');
    // Validly signed, but for keys this server does not hold: an admin key taken out of
    // LLMQ_API_KEYS, an owner key that does not exist, and no key (made before keys were on).
    for (const credential of ['admin:0000000000000000', 'key:01jzzzzzzzzzzzzzzzzzzzzzzz', '']) {
      const stale = createStreamToken(streamTokenSecret(undefined, [adminKey]), {
        kind: 'prompt',
        id: prompt.id,
        owner: 'admin',
        expires: Math.floor(Date.now() / 1000) + 60,
        credential,
      });
      const problem = await problemOf(await streamWith(path, stale), 401);
      expect(problem.detail, credential).toContain('no longer valid');
    }
  });
});

describe('limits', () => {
  it('refuses too many attachments and too long a prompt with clear 422s', async () => {
    const many = await problemOf(
      await call('POST', '/v1/prompts', alice, {
        model: 'echo',
        attachments: Array.from({ length: 51 }, () => ({ id: aliceAttachment })),
      }),
      422,
    );
    expect(many.detail).toContain('at most 50 attachments');
    const long = await problemOf(
      await call('POST', '/v1/prompts', alice, { model: 'echo', prompt: 'x'.repeat(100_001) }),
      422,
    );
    expect(long.detail).toBe(
      'The prompt is 100001 characters long; the limit is 100000 (LLMQ_MAX_PROMPT_CHARS)',
    );
  });
});

describe('logs', () => {
  it('never contain keys or tokens', () => {
    let output = '';
    const sink = new Writable({
      write(chunk, _encoding, done) {
        output += chunk.toString();
        done();
      },
    });
    const logger = createLogger('llmq-api', 'info', sink);
    logger.info(
      {
        headers: { authorization: `Bearer ${alice}` },
        key: bob,
        token: 'secret-token',
        apiKey: adminKey,
      },
      'request',
    );
    logger.info(
      {
        request: { headers: { authorization: `Bearer ${alice}` } },
        env: { LLMQ_API_KEYS: adminKey },
      },
      'nested',
    );
    expect(output).not.toContain(alice);
    expect(output).not.toContain(bob);
    expect(output).not.toContain(adminKey);
    expect(output).not.toContain('secret-token');
    expect(output).toContain('[redacted]');
  });
});

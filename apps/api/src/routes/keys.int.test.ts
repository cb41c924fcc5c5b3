import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-key-for-key-tests-0123456789';
const api = useApi({ adminKeys: [adminKey] });

const call = (method: string, path: string, key: string | undefined, body?: unknown) =>
  api().app.request(path, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const json = async <T = Record<string, unknown>>(response: Response, status = 200): Promise<T> => {
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
};

interface KeyBody extends Record<string, unknown> {
  id: string;
  owner: string;
  key: string;
}

const createKey = async (body: Record<string, unknown>) =>
  json<KeyBody>(await call('POST', '/v1/keys', adminKey, body), 201);

describe('POST /v1/keys with settings', () => {
  it('stores an owner, the models (aliases as ids), an expiry, a webhook and limits, and shows them but never the key', async () => {
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const created = await createKey({
      name: 'reporting job',
      owner: 'reporting',
      allowed_models: ['echo', 'LV', 'local-vision'],
      expires_at: expiresAt,
      webhook_url: 'https://93.184.215.14/llmq',
      budget_usd: 12.5,
      budget_period: 'month',
      requests_per_minute: 60,
      tokens_per_minute: 100_000,
      max_concurrent: 4,
    });
    const expected = {
      id: created.id,
      name: 'reporting job',
      created_at: created.created_at,
      owner: 'reporting',
      revoked_at: null,
      expires_at: expiresAt,
      allowed_models: ['echo', 'local-vision'],
      webhook_url: 'https://93.184.215.14/llmq',
      budget_usd: 12.5,
      budget_period: 'month',
      requests_per_minute: 60,
      tokens_per_minute: 100_000,
      max_concurrent: 4,
    };
    expect(created).toMatchObject({ ...expected, key: expect.stringMatching(/^llmq_/) });
    const list = await json<{ data: KeyBody[] }>(await call('GET', '/v1/keys', adminKey));
    const listed = list.data.find((key) => key.id === created.id);
    expect(listed).toMatchObject(expected);
    expect(listed).not.toHaveProperty('key');
    expect(JSON.stringify(list)).not.toContain(created.key);
    // The key works, and its holder reads what binds it.
    const limits = await json<Record<string, unknown>>(
      await call('GET', '/v1/limits', created.key),
    );
    const { revoked_at: _revoked, ...shownToHolder } = expected;
    expect(limits).toEqual({ owner: 'reporting', key: shownToHolder, owner_limits: null });
  });

  it('makes a key without settings its own owner, with no limits', async () => {
    const created = await createKey({ name: 'plain' });
    expect(created).toMatchObject({
      owner: created.id,
      expires_at: null,
      allowed_models: null,
      webhook_url: null,
      budget_usd: null,
      budget_period: null,
      requests_per_minute: null,
      tokens_per_minute: null,
      max_concurrent: null,
    });
  });

  it('sets the expiry from expires_in_days', async () => {
    const before = Date.now();
    const created = await createKey({ name: 'thirty days', expires_in_days: 30 });
    const expiresAt = Date.parse(created.expires_at as string);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
  });

  it('refuses unknown models, naming every one, with 422', async () => {
    const problem = await problemOf(
      await call('POST', '/v1/keys', adminKey, {
        name: 'x',
        allowed_models: ['echo', 'no-such-model', 'gpt-nine'],
      }),
      422,
    );
    expect(problem.detail).toBe(
      'Unknown models in allowed_models: no-such-model, gpt-nine; GET /v1/models lists the models (by id or alias)',
    );
  });

  it('refuses a budget without its period, an unknown period, a past expiry, two expiries and a bad webhook, with 422', async () => {
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ budget_usd: 5 }, /a budget needs its period/],
      [{ budget_usd: 5, budget_period: 'year' }, /budget_period/],
      [{ budget_usd: -1, budget_period: 'day' }, /budget_usd/],
      [{ expires_at: new Date(Date.now() - 1_000).toISOString() }, /is not in the future/],
      [{ expires_at: 'tomorrow' }, /expires_at/],
      [{ expires_at: new Date(Date.now() + 60_000).toISOString(), expires_in_days: 1 }, /not both/],
      [{ webhook_url: 'ftp://example.com/x' }, /webhook_url/],
      [{ owner: 'admin' }, /admin is the owner of the admin keys/],
      [{ owner: 'has spaces' }, /owner/],
      [{ allowed_models: [] }, /at least one model/],
      [{ surprise: true }, /surprise/],
    ];
    for (const [fields, expected] of refusals) {
      const problem = await problemOf(
        await call('POST', '/v1/keys', adminKey, { name: 'refused', ...fields }),
        422,
      );
      expect(JSON.stringify(problem), JSON.stringify(fields)).toMatch(expected);
    }
  });
  it('refuses a webhook at a private address, as prompts’ webhooks are (SSRF), on create and change', async () => {
    const refused = await problemOf(
      await call('POST', '/v1/keys', adminKey, { name: 'x', webhook_url: 'http://10.1.2.3/hook' }),
      422,
    );
    expect(refused.type).toBe('urn:llmq:problem:webhook-url-refused');
    expect(refused.detail).toContain('10.1.2.3');
    const created = await createKey({ name: 'hooked', webhook_url: 'https://93.184.215.14/a' });
    await problemOf(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, {
        webhook_url: 'http://169.254.169.254/latest',
      }),
      422,
    );
    const cleared = await json<KeyBody>(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, { webhook_url: null }),
    );
    expect(cleared.webhook_url).toBeNull();
  });
});

describe('PATCH /v1/keys/{id}', () => {
  it('changes the fields given, keeps the others, and clears with null', async () => {
    const created = await createKey({
      name: 'to change',
      allowed_models: ['echo'],
      expires_in_days: 1,
      budget_usd: 1,
      budget_period: 'day',
      requests_per_minute: 10,
    });
    const changed = await json<KeyBody>(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, {
        name: 'changed',
        allowed_models: ['lv'],
        budget_usd: 3,
        max_concurrent: 2,
      }),
    );
    expect(changed).toMatchObject({
      name: 'changed',
      owner: created.id,
      allowed_models: ['local-vision'],
      expires_at: created.expires_at,
      budget_usd: 3,
      budget_period: 'day',
      requests_per_minute: 10,
      max_concurrent: 2,
    });
    const cleared = await json<KeyBody>(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, {
        allowed_models: null,
        expires_at: null,
        budget_usd: null,
        budget_period: null,
        requests_per_minute: null,
      }),
    );
    expect(cleared).toMatchObject({
      name: 'changed',
      allowed_models: null,
      expires_at: null,
      budget_usd: null,
      budget_period: null,
      requests_per_minute: null,
      max_concurrent: 2,
    });
    const listed = (await json<{ data: KeyBody[] }>(await call('GET', '/v1/keys', adminKey))).data;
    expect(listed.find((key) => key.id === created.id)).toMatchObject(cleared);
  });

  it('refuses a change that leaves a budget without its period, unknown models, an owner and unknown ids', async () => {
    const created = await createKey({ name: 'budgeted', budget_usd: 1, budget_period: 'week' });
    const periodless = await problemOf(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, { budget_period: null }),
      422,
    );
    expect(periodless.detail).toContain('A budget of 1 USD needs its period');
    const unknownModel = await problemOf(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, { allowed_models: ['nope'] }),
      422,
    );
    expect(unknownModel.detail).toContain('Unknown model in allowed_models: nope');
    const past = await problemOf(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, {
        expires_at: '2020-01-01T00:00:00Z',
      }),
      422,
    );
    expect(past.detail).toContain('is not in the future');
    await problemOf(
      await call('PATCH', `/v1/keys/${created.id}`, adminKey, { owner: 'elsewhere' }),
      422,
    );
    const unknown = await problemOf(
      await call('PATCH', '/v1/keys/01jzzzzzzzzzzzzzzzzzzzzzzz', adminKey, { name: 'x' }),
      404,
    );
    expect(unknown.type).toBe('urn:llmq:problem:key-not-found');
    // Nothing refused was stored.
    const listed = (await json<{ data: KeyBody[] }>(await call('GET', '/v1/keys', adminKey))).data;
    expect(listed.find((key) => key.id === created.id)).toMatchObject({
      budget_usd: 1,
      budget_period: 'week',
      allowed_models: null,
      expires_at: null,
    });
  });
});

describe('key expiry', () => {
  it('refuses an expired key, and the stream tokens made with it, with 401 saying when it expired', async () => {
    const created = await createKey({
      name: 'short-lived',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const prompt = await json<{ id: string }>(
      await call('POST', '/v1/prompts?wait=true', created.key, { model: 'echo', prompt: 'hi' }),
    );
    const { token } = await json<{ token: string }>(
      await call('POST', `/v1/prompts/${prompt.id}/token`, created.key),
    );
    // Its hour passes (moved, not waited for: the steps above take no bounded time).
    const expiresAt = new Date(Date.now() - 1_000).toISOString();
    await api().services.database.db.execute(
      `update api_keys set expires_at = '${expiresAt}' where id = '${created.id}'`,
    );
    // The api sees it once its cached key is read again; no bound on when, only on the answer.
    let response = await call('GET', '/v1/models', created.key);
    while (response.status === 200) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      response = await call('GET', '/v1/models', created.key);
    }
    const problem = await problemOf(response, 401);
    expect(problem.detail).toBe(`The API key expired at ${expiresAt}; ask an admin for a new one`);
    // The token's key is checked again within a couple of seconds (keyRecheckMs).
    let streamed = await api().app.request(
      `/v1/prompts/${prompt.id}/stream?token=${encodeURIComponent(token)}`,
    );
    while (streamed.status === 200) {
      await streamed.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 200));
      streamed = await api().app.request(
        `/v1/prompts/${prompt.id}/stream?token=${encodeURIComponent(token)}`,
      );
    }
    expect((await problemOf(streamed, 401)).detail).toContain('revoked or expired');
    // An admin gives it more time: it works again.
    await json(await call('PATCH', `/v1/keys/${created.id}`, adminKey, { expires_in_days: 1 }));
    expect((await call('GET', '/v1/models', created.key)).status).toBe(200);
  });
});

describe('owner limits', () => {
  it('are read, set, replaced and removed by admins, for owners some key has', async () => {
    const first = await createKey({ name: 'team one', owner: 'team-a' });
    const second = await createKey({
      name: 'team two',
      owner: 'team-a',
      budget_usd: 2,
      budget_period: 'day',
    });
    const none = {
      owner: 'team-a',
      budget_usd: null,
      budget_period: null,
      requests_per_minute: null,
      tokens_per_minute: null,
      max_concurrent: null,
      updated_at: null,
    };
    expect(await json(await call('GET', '/v1/owners/team-a/limits', adminKey))).toEqual(none);
    const set = await json(
      await call('PUT', '/v1/owners/team-a/limits', adminKey, {
        budget_usd: 100,
        budget_period: 'month',
        requests_per_minute: 600,
      }),
    );
    expect(set).toEqual({
      ...none,
      budget_usd: 100,
      budget_period: 'month',
      requests_per_minute: 600,
      updated_at: expect.any(String),
    });
    expect(await json(await call('GET', '/v1/owners/team-a/limits', adminKey))).toEqual(set);
    // PUT replaces: what is left out is no limit.
    const replaced = await json(
      await call('PUT', '/v1/owners/team-a/limits', adminKey, { max_concurrent: 3 }),
    );
    expect(replaced).toMatchObject({ ...none, max_concurrent: 3, updated_at: expect.any(String) });
    // Each key of the owner reads its own settings beside the owner's limits.
    const seen = await json(await call('GET', '/v1/limits', second.key));
    expect(seen).toMatchObject({
      owner: 'team-a',
      key: { id: second.id, budget_usd: 2, budget_period: 'day' },
      owner_limits: replaced,
    });
    expect(await json(await call('GET', '/v1/limits', first.key))).toMatchObject({
      key: { id: first.id, budget_usd: null },
      owner_limits: replaced,
    });
    expect(await json(await call('DELETE', '/v1/owners/team-a/limits', adminKey))).toEqual(none);
    expect(await json(await call('GET', '/v1/owners/team-a/limits', adminKey))).toEqual(none);
    expect(await json(await call('GET', '/v1/limits', first.key))).toMatchObject({
      owner_limits: null,
    });
  });

  it('refuses a budget without its period, an unknown owner and non-admin keys', async () => {
    const member = await createKey({ name: 'member', owner: 'team-b' });
    const periodless = await problemOf(
      await call('PUT', '/v1/owners/team-b/limits', adminKey, { budget_usd: 10 }),
      422,
    );
    expect(periodless.detail).toContain('a budget needs its period');
    const unknown = await problemOf(
      await call('PUT', '/v1/owners/nobody-has-this/limits', adminKey, { max_concurrent: 1 }),
      404,
    );
    expect(unknown.type).toBe('urn:llmq:problem:owner-not-found');
    expect(unknown.detail).toContain('No owner has the id nobody-has-this');
    await problemOf(await call('GET', '/v1/owners/nobody-has-this/limits', adminKey), 404);
    await problemOf(await call('GET', '/v1/owners/admin/limits', adminKey), 422);
    for (const [method, path, body] of [
      ['GET', '/v1/owners/team-b/limits', undefined],
      ['PUT', '/v1/owners/team-b/limits', { max_concurrent: 100 }],
      ['DELETE', '/v1/owners/team-b/limits', undefined],
      ['POST', '/v1/keys', { name: 'mine' }],
      ['GET', '/v1/keys', undefined],
      ['PATCH', `/v1/keys/${member.id}`, { budget_usd: null }],
    ] as const) {
      const problem = await problemOf(await call(method, path, member.key, body), 403);
      expect(problem.detail, `${method} ${path}`).toContain('admin key');
    }
    for (const [method, path, body] of [
      ['GET', '/v1/limits', undefined],
      ['PATCH', `/v1/keys/${member.id}`, {}],
      ['GET', '/v1/owners/team-b/limits', undefined],
    ] as const) {
      await problemOf(await call(method, path, undefined, body), 401);
    }
  });

  it('shows an admin key its owner and no key of its own', async () => {
    expect(await json(await call('GET', '/v1/limits', adminKey))).toEqual({
      owner: 'admin',
      key: null,
      owner_limits: null,
    });
  });
});

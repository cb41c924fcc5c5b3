import { setTimeout as sleep } from 'node:timers/promises';
import { addUsage } from '@llmq/db';
import { periodOf } from '@llmq/engine';
import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-key-for-limit-tests-0123456789';
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

/** A new owner key with these settings. */
async function keyWith(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const response = await call('POST', '/v1/keys', adminKey, { name: 'limited', ...body });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

/** Start in a minute with at least `seconds` left, so a per-minute count stays in one window. */
async function freshMinute(seconds = 10) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await sleep(left + 50);
}

const today = () => new Date().toISOString().slice(0, 10);

describe('a key limited to some models', () => {
  it('refuses another model with 403 naming those it may use, by id or alias, at every door', async () => {
    const { key } = await keyWith({ owner: 'vision-team', allowed_models: ['lv'] });
    const refused = await problemOf(
      await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' }),
      403,
    );
    expect(refused.type).toBe('urn:llmq:problem:model-not-allowed');
    expect(refused.detail).toContain('it may use: local-vision');
    expect(refused.errors).toEqual([{ path: 'model', message: 'allowed: local-vision' }]);
    const batch = await call('POST', '/v1/batches', key, {
      model: 'echo',
      items: [{ prompt: 'a' }],
    });
    expect((await problemOf(batch, 403)).type).toBe('urn:llmq:problem:model-not-allowed');
    const chat = await call('POST', '/openai/v1/chat/completions', key, {
      model: 'echo',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(403);
    expect(((await chat.json()) as { error: { type: string; code: string } }).error).toMatchObject({
      type: 'permission_error',
      code: 'model_not_allowed',
    });
    // The alias names an allowed model.
    const allowed = await call('POST', '/v1/prompts', key, { model: 'LV', prompt: 'hi' });
    expect(allowed.status).toBe(202);
  });
});

describe('a spent budget', () => {
  it("answers 402 with the budget, the spend, the period and when it resets, and Retry-After; the facade's 429 insufficient_quota", async () => {
    const { key } = await keyWith({ owner: 'frugal' });
    const limits = await call('PUT', '/v1/owners/frugal/limits', adminKey, {
      budget_usd: 0.5,
      budget_period: 'week',
    });
    expect(limits.status).toBe(200);
    const db = api().services.database.db;
    await addUsage(db, {
      day: today(),
      owner: 'frugal',
      apiKeyId: null,
      model: 'echo',
      inputTokens: 10,
      outputTokens: 10,
      costUsd: 0.2,
    });
    // Below the budget: accepted.
    expect((await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' })).status).toBe(
      202,
    );
    await addUsage(db, {
      day: today(),
      owner: 'frugal',
      apiKeyId: null,
      model: 'echo',
      inputTokens: 10,
      outputTokens: 10,
      costUsd: 0.3,
    });
    const response = await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' });
    const resetsAt = periodOf('week', new Date()).resetsAt;
    const problem = (await problemOf(response, 402)) as Awaited<ReturnType<typeof problemOf>> & {
      limit: Record<string, unknown>;
    };
    expect(problem.type).toBe('urn:llmq:problem:budget-exceeded');
    expect(problem.limit).toEqual({
      holder: 'owner',
      name: 'budget',
      value: 0.5,
      used: 0.5,
      period: 'week',
      resets_at: resetsAt.toISOString(),
    });
    expect(problem.detail).toContain('$0.5 per week is spent');
    expect(problem.detail).toContain(resetsAt.toISOString());
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((resetsAt.getTime() - Date.now()) / 1000) + 1);
    const batch = await call('POST', '/v1/batches', key, {
      model: 'echo',
      items: [{ prompt: 'a' }],
    });
    expect((await problemOf(batch, 402)).type).toBe('urn:llmq:problem:budget-exceeded');
    const chat = await call('POST', '/openai/v1/chat/completions', key, {
      model: 'echo',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(429);
    expect(chat.headers.get('retry-after')).not.toBeNull();
    // The OpenAI SDKs would retry a 429 twice: they are told not to.
    expect(chat.headers.get('x-should-retry')).toBe('false');
    expect(((await chat.json()) as { error: { type: string; code: string } }).error).toMatchObject({
      type: 'insufficient_quota',
      code: 'insufficient_quota',
    });
    // Raised, the budget lets work in again.
    await call('PUT', '/v1/owners/frugal/limits', adminKey, {
      budget_usd: 5,
      budget_period: 'week',
    });
    expect((await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' })).status).toBe(
      202,
    );
  });
});

describe('per-minute and concurrency limits', () => {
  it('answers 429 with Retry-After once the requests of this minute are used; a batch counts once', async () => {
    const { key } = await keyWith({ owner: 'chatty', requests_per_minute: 2 });
    await freshMinute();
    // Refused requests (422: nothing to ask; an invalid batch item) do not use up the minute.
    const empty = await call('POST', '/v1/prompts', key, { model: 'echo' });
    expect(empty.status).toBe(422);
    const invalidBatch = await call('POST', '/v1/batches', key, {
      model: 'echo',
      items: [{ prompt: 'a', options: { no_such_option: true } }],
    });
    expect(invalidBatch.status).toBe(422);
    expect((await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' })).status).toBe(
      202,
    );
    // Its items count as they start, each one request (held back once the minute is used).
    const batch = await call('POST', '/v1/batches', key, {
      model: 'echo',
      items: [{ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c' }],
    });
    expect(batch.status).toBe(201);
    const response = await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' });
    const problem = (await problemOf(response, 429)) as Awaited<ReturnType<typeof problemOf>> & {
      limit: Record<string, unknown>;
    };
    expect(problem.type).toBe('urn:llmq:problem:limit-exceeded');
    expect(problem.limit).toMatchObject({
      holder: 'key',
      name: 'requests_per_minute',
      value: 2,
      used: 2,
    });
    const nextMinute = (Math.floor(Date.now() / 60_000) + 1) * 60_000;
    expect(problem.limit.resets_at).toBe(new Date(nextMinute).toISOString());
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const chat = await call('POST', '/openai/v1/chat/completions', key, {
      model: 'echo',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(chat.status).toBe(429);
    // A reached rate limit is worth retrying after Retry-After.
    expect(chat.headers.get('x-should-retry')).toBeNull();
    expect(((await chat.json()) as { error: { type: string; code: string } }).error).toMatchObject({
      type: 'rate_limit_error',
      code: 'rate_limit_exceeded',
    });
  });

  it("answers 429 once this minute's answers used the key's tokens, counted by the worker after each end", async () => {
    const { key } = await keyWith({ owner: 'wordy', tokens_per_minute: 3 });
    await freshMinute();
    const first = await call('POST', '/v1/prompts?wait=true', key, {
      model: 'echo',
      prompt: 'one two three four',
    });
    expect(first.status).toBe(200);
    const answered = (await first.json()) as { id: string; status: string };
    expect(answered.status).toBe('succeeded');
    // The tokens are counted before the log's `done`: once the log has it, they are in.
    const log = await api().services.events.read(answered.id);
    expect(log.map((entry) => entry.event.type)).toContain('done');
    const refused = await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' });
    const problem = (await problemOf(refused, 429)) as Awaited<ReturnType<typeof problemOf>> & {
      limit: Record<string, unknown>;
    };
    expect(problem.limit).toMatchObject({ holder: 'key', name: 'tokens_per_minute', value: 3 });
    expect(problem.limit.used).toBeGreaterThanOrEqual(4);
  });

  it('answers 429 while the owner has max_concurrent interactive prompts queued or running', async () => {
    const { key } = await keyWith({ owner: 'busy' });
    await call('PUT', '/v1/owners/busy/limits', adminKey, { max_concurrent: 1 });
    const slow = await call('POST', '/v1/prompts', key, {
      model: 'echo',
      prompt: 'one two three',
      options: { delay_ms: 2_000, chunk_size: 4 },
    });
    expect(slow.status).toBe(202);
    const { id } = (await slow.json()) as { id: string };
    const refused = await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' });
    const problem = (await problemOf(refused, 429)) as Awaited<ReturnType<typeof problemOf>> & {
      limit: Record<string, unknown>;
    };
    expect(problem.limit).toMatchObject({ holder: 'owner', name: 'max_concurrent', value: 1 });
    expect(problem.detail).toContain('once some of them have ended');
    expect(refused.headers.get('retry-after')).toBe('1');
    // Batch items are not interactive prompts: a batch is still taken.
    const batch = await call('POST', '/v1/batches', key, {
      model: 'echo',
      items: [{ prompt: 'a' }],
    });
    expect(batch.status).toBe(201);
    expect((await call('POST', `/v1/prompts/${id}/cancel`, key)).status).toBe(200);
    expect((await call('POST', '/v1/prompts', key, { model: 'echo', prompt: 'hi' })).status).toBe(
      202,
    );
  });
});

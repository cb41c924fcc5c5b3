import { testTools } from '@llmq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-key-for-usage-tests-0123456789';
// Echo counts words as tokens; prices high enough that a few words cost something.
const prices = { input: 1_000, output: 2_000 };
const api = useApi({ adminKeys: [adminKey], modelPrices: { echo: prices } });

beforeAll(() => {
  const register = api().services.models.tools.registerFor('test-tools');
  for (const tool of testTools({})) register(tool);
});

const call = (method: string, path: string, key: string, body?: unknown) =>
  api().app.request(path, {
    method,
    headers: {
      host: '127.0.0.1',
      authorization: `Bearer ${key}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const json = async <T = Record<string, unknown>>(response: Response, status = 200): Promise<T> => {
  const text = await response.text();
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  }
  return JSON.parse(text) as T;
};

interface PromptBody {
  id: string;
  status: string;
  attempts: number;
  chain: { steps?: string[] } | null;
  usage: { input: number; output: number } | null;
  cost_usd: number | null;
}

interface UsageBody {
  currency: string;
  from: string;
  to: string;
  group_by: string[];
  total: { requests: number; input_tokens: number; output_tokens: number; cost_usd: number };
  data: Array<Record<string, unknown>>;
}

const createKey = async (owner: string) =>
  json<{ id: string; key: string }>(
    await call('POST', '/v1/keys', adminKey, { name: owner, owner }),
    201,
  );

const prompt = async (key: string, text: string, options: Record<string, unknown> = {}) =>
  json<PromptBody>(
    await call('POST', '/v1/prompts?wait=true&wait_seconds=30', key, {
      model: 'echo',
      prompt: text,
      options,
    }),
  );

const costOf = (usage: { input: number; output: number }) =>
  (usage.input * prices.input + usage.output * prices.output) / 1_000_000;

const today = () => new Date().toISOString().slice(0, 10);

describe('spend and GET /v1/usage', () => {
  it('prices each answer, adds it to the ledger once (a retried prompt too), and scopes usage to its owner', async () => {
    const alpha = await createKey(`alpha-${Date.now()}`);
    const beta = await createKey(`beta-${Date.now()}`);
    const answers = [
      await prompt(alpha.key, 'one two three'),
      // Fails its first attempt, answers in its second: counted once.
      await prompt(alpha.key, 'four five', { fail: 'retryable', fail_attempts: 1 }),
      await prompt(beta.key, 'six'),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe('succeeded');
      expect(answer.usage).not.toBeNull();
      expect(answer.cost_usd).toBeCloseTo(costOf(answer.usage as PromptBody['usage'] & {}), 9);
      expect(answer.cost_usd).toBeGreaterThan(0);
    }
    expect(answers[1]?.attempts).toBe(2);
    // The prompt as read later, and in lists, carries the same cost.
    const read = await json<PromptBody>(
      await call('GET', `/v1/prompts/${answers[0]?.id}`, alpha.key),
    );
    expect(read.cost_usd).toBe(answers[0]?.cost_usd);
    const list = await json<{ data: PromptBody[] }>(await call('GET', '/v1/prompts', alpha.key));
    expect(list.data.map((row) => row.cost_usd).sort()).toEqual(
      [answers[0]?.cost_usd, answers[1]?.cost_usd].sort(),
    );

    const alphaSpend = (answers[0]?.cost_usd ?? 0) + (answers[1]?.cost_usd ?? 0);
    const mine = await json<UsageBody>(
      await call('GET', '/v1/usage?group_by=day,model,key', alpha.key),
    );
    expect(mine).toMatchObject({ currency: 'USD', to: today(), group_by: ['day', 'model', 'key'] });
    expect(mine.total.requests).toBe(2);
    expect(mine.total.cost_usd).toBeCloseTo(alphaSpend, 9);
    expect(mine.total.input_tokens).toBe(
      (answers[0]?.usage?.input ?? 0) + (answers[1]?.usage?.input ?? 0),
    );
    expect(mine.data).toEqual([
      {
        day: today(),
        model: 'echo',
        key_id: alpha.id,
        requests: 2,
        input_tokens: mine.total.input_tokens,
        output_tokens: mine.total.output_tokens,
        cost_usd: mine.total.cost_usd,
      },
    ]);
    // An owner key never sees another owner's usage.
    const theirs = await json<UsageBody>(await call('GET', '/v1/usage', beta.key));
    expect(theirs.total.requests).toBe(1);
    expect(theirs.total.cost_usd).toBeCloseTo(answers[2]?.cost_usd ?? 0, 9);
    const refused = await problemOf(
      await call('GET', `/v1/usage?owner=${encodeURIComponent(`alpha-x`)}`, beta.key),
      403,
    );
    expect(refused.detail).toContain('its own owner’s usage only');
    // Admins see everyone's, per owner, and may filter by owner or key.
    const everyone = await json<UsageBody>(await call('GET', '/v1/usage?group_by=owner', adminKey));
    const owners = everyone.data.map((group) => group.owner);
    expect(owners).toEqual(
      expect.arrayContaining([expect.stringMatching(/^alpha-/), expect.stringMatching(/^beta-/)]),
    );
    const byKey = await json<UsageBody>(await call('GET', `/v1/usage?key_id=${beta.id}`, adminKey));
    expect(byKey.total.requests).toBe(1);
    expect(byKey.data).toEqual([]);
  });

  it('counts the answers a schema refused: the failed prompt costs both attempts', async () => {
    const gamma = await createKey(`gamma-${Date.now()}`);
    // Echo answers a JSON prompt with itself, which this schema refuses, twice (one retry).
    const refused = await json<PromptBody>(
      await call('POST', '/v1/prompts?wait=true&wait_seconds=30', gamma.key, {
        model: 'echo',
        prompt: '{"other": 1}',
        schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      }),
    );
    expect(refused).toMatchObject({ status: 'failed', attempts: 2 });
    // Each answer: 2 words in, 2 words out.
    const perAnswer = costOf({ input: 2, output: 2 });
    expect(refused.cost_usd).toBeCloseTo(2 * perAnswer, 12);
    const report = await json<UsageBody>(await call('GET', '/v1/usage', gamma.key));
    expect(report.total).toEqual({
      requests: 2,
      input_tokens: 4,
      output_tokens: 4,
      cost_usd: refused.cost_usd,
    });
  });

  it('shows a chain’s whole cost on the prompt the client made, each later step its own', async () => {
    const delta = await createKey(`delta-${Date.now()}`);
    // Echo calls `add` in its first answer, and answers the result in its second: two steps.
    const chained = await json<PromptBody>(
      await call('POST', '/v1/prompts?wait=true&wait_seconds=30', delta.key, {
        model: 'echo',
        prompt: JSON.stringify({ tool_calls: [[{ name: 'add', arguments: { a: 2, b: 3 } }]] }),
        tools: ['add'],
      }),
    );
    expect(chained.status).toBe('succeeded');
    const root = await json<PromptBody>(await call('GET', `/v1/prompts/${chained.id}`, delta.key));
    const stepIds = root.chain?.steps ?? [];
    expect(stepIds).toHaveLength(2);
    const second = await json<PromptBody>(
      await call('GET', `/v1/prompts/${stepIds[1]}`, delta.key),
    );
    expect(second.cost_usd).toBeGreaterThan(0);
    const report = await json<UsageBody>(await call('GET', '/v1/usage', delta.key));
    expect(report.total.requests).toBe(2);
    // The ledger has both model calls; the prompt the client made shows them both too.
    expect(root.cost_usd).toBeCloseTo(report.total.cost_usd, 9);
    expect(root.cost_usd).toBeGreaterThan(second.cost_usd ?? 0);
    expect(chained.cost_usd).toBe(root.cost_usd);
    const list = await json<{ data: PromptBody[] }>(await call('GET', '/v1/prompts', delta.key));
    expect(list.data.find((row) => row.id === root.id)?.cost_usd).toBe(root.cost_usd);
  });

  it('defaults to the last 30 days and refuses an invalid query with a problem', async () => {
    const report = await json<UsageBody>(await call('GET', '/v1/usage?to=2026-03-31', adminKey));
    expect(report).toMatchObject({ from: '2026-03-02', to: '2026-03-31', group_by: [] });
    const badGroup = await problemOf(
      await call('GET', '/v1/usage?group_by=day,week', adminKey),
      422,
    );
    expect(JSON.stringify(badGroup)).toContain(
      'group_by is a comma list of day, model, key, owner',
    );
    const badDate = await problemOf(await call('GET', '/v1/usage?from=2026-02-30', adminKey), 422);
    expect(badDate.errors?.[0]?.path).toContain('from');
    const reversed = await problemOf(
      await call('GET', '/v1/usage?from=2026-03-02&to=2026-03-01', adminKey),
      422,
    );
    expect(JSON.stringify(reversed)).toContain('`from` must be on or before `to`');
    const late = await problemOf(await call('GET', '/v1/usage?from=2999-01-01', adminKey), 422);
    expect(late.detail).toContain('is after to');
  });

  it('refuses year 0000 (PostgreSQL has none) and starts the default range no earlier than 0001-01-01', async () => {
    for (const query of ['to=0000-01-01', 'from=0000-12-31&to=0001-01-01']) {
      const yearZero = await problemOf(await call('GET', `/v1/usage?${query}`, adminKey), 422);
      expect(JSON.stringify(yearZero)).toContain('a UTC day from 0001-01-01 to 9999-12-31');
    }
    const early = await json<UsageBody>(await call('GET', '/v1/usage?to=0001-01-05', adminKey));
    expect(early).toMatchObject({ from: '0001-01-01', to: '0001-01-05' });
    expect(early.total.requests).toBe(0);
    const last = await json<UsageBody>(
      await call('GET', '/v1/usage?from=9999-12-01&to=9999-12-31', adminKey),
    );
    expect(last).toMatchObject({ from: '9999-12-01', to: '9999-12-31' });
  });
});

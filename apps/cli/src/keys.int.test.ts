import { describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';

const server = useCliServer();
const llmq = (args: readonly string[]) => server().llmq(args);

interface ListedKey {
  id: string;
  name: string;
  owner: string;
  allowed_models: string[] | null;
  expires_at: string | null;
  webhook_url: string | null;
  budget_usd: number | null;
  budget_period: string | null;
  requests_per_minute: number | null;
  tokens_per_minute: number | null;
  max_concurrent: number | null;
}

async function listed(name: string): Promise<ListedKey> {
  const run = await llmq(['keys', 'list', '--json']);
  expect(run.code, run.stderr).toBe(0);
  const key = (JSON.parse(run.stdout) as ListedKey[]).find((each) => each.name === name);
  if (!key) throw new Error(`no key named ${name} in ${run.stdout}`);
  return key;
}

describe('llmq keys', () => {
  it('creates a key with an owner, models, an expiry, a webhook and limits, printing the key once', async () => {
    const before = Date.now();
    const created = await llmq([
      'keys',
      'create',
      'nightly',
      '--owner',
      'reports',
      '-m',
      'echo',
      '--expires-in-days',
      '30',
      '--webhook',
      'https://93.184.215.14/llmq',
      '--budget',
      '7.5',
      '--budget-period',
      'week',
      '--rpm',
      '60',
      '--tpm',
      '5000',
      '--max-concurrent',
      '3',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^llmq_/);
    expect(created.stderr).toMatch(
      /^key \S+ \(nightly\) created, owner reports, budget 7.5 USD per week, 60 requests\/minute, 5,000 tokens\/minute, 3 at once: keep it now/,
    );
    const stored = await listed('nightly');
    expect(stored).toMatchObject({
      owner: 'reports',
      allowed_models: ['echo'],
      webhook_url: 'https://93.184.215.14/llmq',
      budget_usd: 7.5,
      budget_period: 'week',
      requests_per_minute: 60,
      tokens_per_minute: 5000,
      max_concurrent: 3,
    });
    expect(Date.parse(stored.expires_at ?? '')).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    // The plain list shows the settings on the key's line, never the key.
    const plain = await llmq(['keys', 'list']);
    expect(plain.stdout).not.toContain(key);
    expect(plain.stdout).toContain(
      `${stored.id}  nightly  owner reports  models echo  expires ${stored.expires_at}  webhook https://93.184.215.14/llmq  budget 7.5 USD per week, 60 requests/minute, 5,000 tokens/minute, 3 at once  created `,
    );
    // Its holder sees what binds it.
    const mine = await server().llmq(['limits'], undefined, { LLMQ_API_KEY: key });
    expect(mine.code, mine.stderr).toBe(0);
    expect(mine.stdout).toBe(
      [
        'owner: reports',
        `key: ${stored.id} (nightly), budget 7.5 USD per week, 60 requests/minute, 5,000 tokens/minute, 3 at once`,
        'models: echo',
        `expires: ${stored.expires_at}`,
        'owner limits: no limits',
        '',
      ].join('\n'),
    );
  });

  it('updates the settings given, clears with none, and keeps the rest', async () => {
    expect((await llmq(['keys', 'create', 'changing', '--rpm', '10', '-m', 'echo'])).code).toBe(0);
    const { id } = await listed('changing');
    const updated = await llmq([
      'keys',
      'update',
      id,
      '--name',
      'changed',
      '--budget',
      '2',
      '--budget-period',
      'day',
      '--rpm',
      'none',
      '-m',
      'none',
    ]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(
      new RegExp(`^${id}  changed  owner ${id}  budget 2 USD per day  created `),
    );
    expect(await listed('changed')).toMatchObject({
      allowed_models: null,
      requests_per_minute: null,
      budget_usd: 2,
      budget_period: 'day',
    });
    const nothing = await llmq(['keys', 'update', id]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('Nothing to change');
  });

  it('reports the server’s refusals and bad flags on one line', async () => {
    const unknownModel = await llmq(['keys', 'create', 'x', '-m', 'no-such-model']);
    expect(unknownModel.code).toBe(1);
    expect(unknownModel.stderr).toContain('Unknown model in allowed_models: no-such-model');
    const periodless = await llmq(['keys', 'create', 'x', '--budget', '5']);
    expect(periodless.code).toBe(1);
    expect(periodless.stderr).toContain('a budget needs its period');
    const badRpm = await llmq(['keys', 'create', 'x', '--rpm', 'lots']);
    expect(badRpm.code).not.toBe(0);
    expect(badRpm.stderr).toContain('--rpm is a whole number from 1, or none');
  });

  it('refuses an expired key, saying when it expired', async () => {
    const created = await llmq(['keys', 'create', 'brief', '--expires-in-days', '0.00002']);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim();
    // About two seconds: ask until it is refused.
    let run = await server().llmq(['logs', '--json'], undefined, { LLMQ_API_KEY: key });
    while (run.code === 0) {
      run = await server().llmq(['logs', '--json'], undefined, { LLMQ_API_KEY: key });
    }
    expect(run.stderr).toMatch(
      /^Error: The API key expired at \d{4}-\d\d-\d\dT[\d:.]+Z; ask an admin for a new one\n$/,
    );
  });
});

describe('llmq owners limits', () => {
  it('shows, changes (keeping the others), and clears the limits an owner’s keys share', async () => {
    expect((await llmq(['keys', 'create', 'member', '--owner', 'team-x'])).code).toBe(0);
    expect((await llmq(['owners', 'limits', 'team-x'])).stdout).toBe('team-x: no limits\n');
    const set = await llmq([
      'owners',
      'limits',
      'team-x',
      '--budget',
      '100',
      '--budget-period',
      'month',
      '--max-concurrent',
      '5',
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toMatch(/^team-x: budget 100 USD per month, 5 at once {2}\(set \S+\)\n$/);
    const changed = await llmq([
      'owners',
      'limits',
      'team-x',
      '--rpm',
      '30',
      '--max-concurrent',
      'none',
    ]);
    expect(changed.stdout).toMatch(
      /^team-x: budget 100 USD per month, 30 requests\/minute {2}\(set/,
    );
    const shown = JSON.parse((await llmq(['owners', 'limits', 'team-x', '--json'])).stdout);
    expect(shown).toMatchObject({
      owner: 'team-x',
      budget_usd: 100,
      budget_period: 'month',
      requests_per_minute: 30,
      max_concurrent: null,
    });
    expect((await llmq(['owners', 'limits', 'team-x', '--clear'])).stdout).toBe(
      'team-x: no limits\n',
    );
    const unknown = await llmq(['owners', 'limits', 'nobody-x']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No owner has the id nobody-x');
  });
});

import type { UsageReportBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { useCliServer } from './cli-server.fixture.ts';
import { formatUsd } from './usage-table.ts';

const server = useCliServer({
  environment: { LLMQ_MODEL_PRICES: JSON.stringify({ echo: { input: 1_000, output: 2_000 } }) },
});
const llmq = (args: readonly string[]) => server().llmq(args);

describe('llmq usage', () => {
  it('prints spend per day and model with totals, or the report as JSON', async () => {
    const answered = await llmq(['-m', 'echo', 'count these four words']);
    expect(answered.code).toBe(0);
    const [latest] = (await server().client.listPrompts({ limit: 1 })).data;
    const cost = latest?.cost_usd ?? 0;
    expect(cost).toBeGreaterThan(0);

    const json = await llmq(['usage', '--group-by', 'day,model', '--json']);
    expect(json.stderr).toBe('');
    const report = JSON.parse(json.stdout) as UsageReportBody;
    const today = new Date().toISOString().slice(0, 10);
    expect(report.total).toEqual({
      requests: 1,
      input_tokens: latest?.usage?.input,
      output_tokens: latest?.usage?.output,
      cost_usd: cost,
    });
    expect(report.data).toEqual([{ day: today, model: 'echo', ...report.total }]);

    const table = await llmq(['usage', '--group-by', 'day,model']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Usage from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(UTC days, USD\)$/);
    expect(lines[2]).toMatch(/^DAY\s+MODEL\s+REQUESTS\s+INPUT\s+OUTPUT\s+COST$/);
    expect(lines[3]).toMatch(
      new RegExp(
        `^${today}\\s+echo\\s+1\\s+\\d+\\s+\\d+\\s+\\$${formatUsd(cost).slice(1).replace('.', '\\.')}$`,
      ),
    );
    expect(lines[4]).toMatch(/^TOTAL\s+1\s/);

    const refused = await llmq(['usage', '--group-by', 'week']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('group by day, model, key, owner');
  });
});

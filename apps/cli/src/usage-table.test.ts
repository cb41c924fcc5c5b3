import type { UsageReportBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { formatUsageTable, formatUsd } from './usage-table.ts';

const total = { requests: 1_250, input_tokens: 1_015_000, output_tokens: 11_250, cost_usd: 0.159 };

describe('formatUsageTable', () => {
  it('prints a row per group, numbers right-aligned, then the totals', () => {
    const report: UsageReportBody = {
      currency: 'USD',
      from: '2026-12-01',
      to: '2026-12-03',
      group_by: ['day', 'model'],
      total,
      data: [
        {
          day: '2026-12-02',
          model: 'gpt-4o-mini',
          requests: 250,
          input_tokens: 203_000,
          output_tokens: 2_250,
          cost_usd: 0.0318,
        },
        {
          day: '2026-12-03',
          model: 'echo',
          requests: 1_000,
          input_tokens: 812_000,
          output_tokens: 9_000,
          cost_usd: 0.1272,
        },
      ],
    };
    expect(formatUsageTable(report)).toBe(
      [
        'Usage from 2026-12-01 to 2026-12-03 (UTC days, USD)',
        '',
        'DAY         MODEL        REQUESTS      INPUT  OUTPUT     COST',
        '2026-12-02  gpt-4o-mini       250    203,000   2,250  $0.0318',
        '2026-12-03  echo            1,000    812,000   9,000  $0.1272',
        'TOTAL                       1,250  1,015,000  11,250  $0.1590',
        '',
      ].join('\n'),
    );
  });

  it('names the admin keys and ownerless work, and says when the range is empty', () => {
    const report: UsageReportBody = {
      currency: 'USD',
      from: '2026-12-01',
      to: '2026-12-01',
      group_by: ['key', 'owner'],
      total: { requests: 1, input_tokens: 2, output_tokens: 3, cost_usd: 0 },
      data: [
        { key_id: null, owner: null, requests: 1, input_tokens: 2, output_tokens: 3, cost_usd: 0 },
      ],
    };
    expect(formatUsageTable(report)).toContain('(admin)  (none)         1      2       3  $0.0000');
    expect(formatUsageTable({ ...report, data: [] })).toContain('(nothing in this range)');
  });

  it('prints the totals alone without a grouping', () => {
    const report: UsageReportBody = {
      currency: 'USD',
      from: '2026-11-04',
      to: '2026-12-03',
      group_by: [],
      total,
      data: [],
    };
    expect(formatUsageTable(report)).toBe(
      'Usage from 2026-11-04 to 2026-12-03 (UTC days, USD)\nrequests: 1,250\ninput tokens: 1,015,000\noutput tokens: 11,250\ncost: $0.1590\n',
    );
  });
});

describe('formatUsd', () => {
  it('shows a cent to four decimals and less than a cent to six', () => {
    expect(formatUsd(12.5)).toBe('$12.5000');
    expect(formatUsd(0.000127)).toBe('$0.000127');
    expect(formatUsd(0)).toBe('$0.0000');
  });
});

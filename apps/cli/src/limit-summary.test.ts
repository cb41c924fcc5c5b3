import { describe, expect, it } from 'vitest';
import { keyLine, limitSummary } from './limit-summary.ts';

const none = {
  budget_usd: null,
  budget_period: null,
  requests_per_minute: null,
  tokens_per_minute: null,
  max_concurrent: null,
};

describe('limitSummary', () => {
  it('names the limits set, in words, and says when there are none', () => {
    expect(limitSummary(none)).toBe('no limits');
    expect(
      limitSummary({
        budget_usd: 20,
        budget_period: 'month',
        requests_per_minute: 1200,
        tokens_per_minute: 100_000,
        max_concurrent: 4,
      }),
    ).toBe('budget 20 USD per month, 1,200 requests/minute, 100,000 tokens/minute, 4 at once');
  });
});

describe('keyLine', () => {
  it('shows a plain key by id, name, owner and creation, and every setting of another', () => {
    const plain = {
      id: 'k1',
      name: 'plain',
      owner: 'k1',
      created_at: '2026-12-04T10:00:00.000Z',
      revoked_at: null,
      expires_at: null,
      allowed_models: null,
      webhook_url: null,
      ...none,
    };
    expect(keyLine(plain)).toBe('k1  plain  owner k1  created 2026-12-04T10:00:00.000Z');
    expect(
      keyLine({
        ...plain,
        allowed_models: ['echo', 'gpt-4o'],
        expires_at: '2027-01-01T00:00:00.000Z',
        webhook_url: 'https://example.com/hook',
        max_concurrent: 2,
        revoked_at: '2026-12-05T00:00:00.000Z',
      }),
    ).toBe(
      'k1  plain  owner k1  models echo, gpt-4o  expires 2027-01-01T00:00:00.000Z  webhook https://example.com/hook  2 at once  created 2026-12-04T10:00:00.000Z  revoked 2026-12-05T00:00:00.000Z',
    );
  });
});

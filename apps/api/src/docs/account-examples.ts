import { time } from './example-values.ts';
import type { RouteExample } from './route-example.ts';

const noLimits = {
  budget_usd: null,
  budget_period: null,
  requests_per_minute: null,
  tokens_per_minute: null,
  max_concurrent: null,
};

const ownerKey = {
  id: '01JEXAMP1EKEY0000000000000',
  name: 'reporting job',
  owner: 'reporting',
  created_at: time,
  revoked_at: null,
  expires_at: '2027-03-03T16:30:00.000Z',
  allowed_models: ['gpt-4o-mini'],
  webhook_url: null,
  ...noLimits,
  budget_usd: 20,
  budget_period: 'month',
  requests_per_minute: 60,
};

const ownerLimits = {
  owner: 'reporting',
  ...noLimits,
  budget_usd: 500,
  budget_period: 'month',
  max_concurrent: 20,
  updated_at: time,
};

const providerKey = {
  name: 'openai',
  last_four: 'x7Qa',
  set_by: 'admin',
  set_at: time,
  models: ['gpt-4o-mini', 'gpt-4o'],
};

/** Owner keys, limits, provider keys and usage. */
export const accountExamples: Readonly<Record<string, RouteExample>> = {
  'get /v1/usage': {
    response: {
      currency: 'USD',
      from: '2026-12-01',
      to: '2026-12-03',
      group_by: ['day'],
      total: { requests: 1_250, input_tokens: 1_015_000, output_tokens: 11_250, cost_usd: 0.159 },
      data: [
        {
          day: '2026-12-02',
          requests: 250,
          input_tokens: 203_000,
          output_tokens: 2_250,
          cost_usd: 0.0318,
        },
        {
          day: '2026-12-03',
          requests: 1_000,
          input_tokens: 812_000,
          output_tokens: 9_000,
          cost_usd: 0.1272,
        },
      ],
    },
  },
  'post /v1/keys': {
    request: {
      name: 'reporting job',
      owner: 'reporting',
      allowed_models: ['4o-mini'],
      expires_in_days: 90,
      budget_usd: 20,
      budget_period: 'month',
      requests_per_minute: 60,
    },
    response: { ...ownerKey, key: 'llmq_3q2-…' },
  },
  'get /v1/keys': { response: { data: [ownerKey] } },
  'patch /v1/keys/{id}': {
    request: { budget_usd: 50, requests_per_minute: null },
    response: { ...ownerKey, budget_usd: 50, requests_per_minute: null },
  },
  'get /v1/owners/{owner}/limits': { response: ownerLimits },
  'put /v1/owners/{owner}/limits': {
    request: { budget_usd: 500, budget_period: 'month', max_concurrent: 20 },
    response: ownerLimits,
  },
  'delete /v1/owners/{owner}/limits': {
    response: { ...ownerLimits, ...noLimits, updated_at: null },
  },
  'get /v1/limits': {
    response: {
      owner: 'reporting',
      key: (({ revoked_at: _revoked, ...key }) => key)(ownerKey),
      owner_limits: ownerLimits,
    },
  },
  'delete /v1/keys/{id}': { response: { ...ownerKey, revoked_at: '2026-12-04T09:00:00.000Z' } },
  'put /v1/provider-keys/{name}': {
    request: { key: 'sk-proj-…' },
    response: providerKey,
  },
  'get /v1/provider-keys': { response: { data: [providerKey] } },
  'delete /v1/provider-keys/{name}': { response: { name: 'openai', deleted: true } },
};

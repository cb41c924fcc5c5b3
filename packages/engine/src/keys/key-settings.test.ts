import { ModelRegistry } from '@llmq/core';
import * as echo from '@llmq/plugin-echo';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../failures/service-errors.ts';
import { WebhookUrlError } from '../webhooks/webhook-url.ts';
import { keySettingsOf, requireBudgetPeriod } from './key-settings.ts';

const now = new Date('2026-12-04T12:00:00.000Z');
let models: ModelRegistry;

beforeAll(async () => {
  models = new ModelRegistry();
  await models.use('@llmq/plugin-echo', echo, { settings: {} });
});

describe('keySettingsOf', () => {
  it('leaves out what the body leaves out, and clears what it sets to null', async () => {
    expect(await keySettingsOf({}, { models }, now)).toEqual({});
    expect(
      await keySettingsOf(
        {
          allowed_models: null,
          expires_at: null,
          webhook_url: null,
          budget_usd: null,
          budget_period: null,
          requests_per_minute: null,
          tokens_per_minute: null,
          max_concurrent: null,
        },
        { models },
        now,
      ),
    ).toEqual({
      allowedModels: null,
      expiresAt: null,
      webhookUrl: null,
      budgetUsd: null,
      budgetPeriod: null,
      requestsPerMinute: null,
      tokensPerMinute: null,
      maxConcurrent: null,
    });
  });

  it('stores models as ids, once each, and names every unknown one', async () => {
    expect(await keySettingsOf({ allowed_models: ['echo', 'echo'] }, { models }, now)).toEqual({
      allowedModels: ['echo'],
    });
    const refusal = keySettingsOf({ allowed_models: ['echo', 'gpt-7', 'gpt-8'] }, { models }, now);
    await expect(refusal).rejects.toThrow(InvalidRequestError);
    await expect(refusal).rejects.toThrow('Unknown models in allowed_models: gpt-7, gpt-8;');
  });

  it('sets the expiry from days or a time, refusing a time not in the future', async () => {
    expect(await keySettingsOf({ expires_in_days: 1.5 }, { models }, now)).toEqual({
      expiresAt: new Date('2026-12-06T00:00:00.000Z'),
    });
    expect(
      await keySettingsOf({ expires_at: '2026-12-04T13:00:00+01:00' }, { models }, now).catch(
        (error: Error) => error.message,
      ),
    ).toBe(
      'expires_at 2026-12-04T12:00:00.000Z is not in the future (it is now 2026-12-04T12:00:00.000Z): give a later time, or expires_in_days',
    );
  });

  it('checks a webhook as prompts’ webhooks are checked, keeping the normalised URL', async () => {
    expect(
      await keySettingsOf({ webhook_url: 'https://93.184.215.14/Hook?a=1' }, { models }, now),
    ).toEqual({ webhookUrl: 'https://93.184.215.14/Hook?a=1' });
    await expect(
      keySettingsOf({ webhook_url: 'http://127.0.0.1:8080/hook' }, { models }, now),
    ).rejects.toThrow(WebhookUrlError);
    expect(
      await keySettingsOf(
        { webhook_url: 'http://127.0.0.1:8080/hook' },
        { models, webhookUrls: { allowlist: ['127.0.0.1'] } },
        now,
      ),
    ).toEqual({ webhookUrl: 'http://127.0.0.1:8080/hook' });
  });
});

describe('requireBudgetPeriod', () => {
  it('refuses a budget without its period, and nothing else', () => {
    expect(() => requireBudgetPeriod({ budgetUsd: 5, budgetPeriod: null })).toThrow(
      'A budget of 5 USD needs its period',
    );
    requireBudgetPeriod({ budgetUsd: 5, budgetPeriod: 'day' });
    requireBudgetPeriod({ budgetUsd: null, budgetPeriod: null });
    requireBudgetPeriod({ budgetUsd: null, budgetPeriod: 'week' });
  });
});

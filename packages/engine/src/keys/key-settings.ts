import type { BudgetPeriod, UpdateApiKeyBody } from '@llmq/contracts';
import type { ModelRegistry } from '@llmq/core';
import type { ApiKeySettings } from '@llmq/db';
import { InvalidRequestError } from '../failures/service-errors.ts';
import { checkWebhookUrl, type WebhookUrlRules } from '../webhooks/webhook-url.ts';
import { allowedModelIds } from './allowed-model-ids.ts';

const dayMs = 86_400_000;

/** What a key's settings are checked against. */
export interface KeySettingRules {
  readonly models: ModelRegistry;
  /** Where webhooks may go: a key's webhook is held to prompts' rules (SSRF), when it is set. */
  readonly webhookUrls?: WebhookUrlRules | undefined;
}

/** The settings a key body gives, as stored: absent fields are left out, null clears. */
export async function keySettingsOf(
  body: Omit<UpdateApiKeyBody, 'name'>,
  { models, webhookUrls }: KeySettingRules,
  now: Date,
): Promise<Partial<ApiKeySettings>> {
  const settings: { -readonly [Field in keyof ApiKeySettings]?: ApiKeySettings[Field] } = {};
  if (body.allowed_models !== undefined) {
    settings.allowedModels =
      body.allowed_models === null ? null : allowedModelIds(models, body.allowed_models);
  }
  if (body.expires_in_days !== undefined) {
    settings.expiresAt = new Date(now.getTime() + body.expires_in_days * dayMs);
  } else if (body.expires_at !== undefined) {
    settings.expiresAt = body.expires_at === null ? null : futureExpiry(body.expires_at, now);
  }
  if (body.webhook_url !== undefined) {
    settings.webhookUrl =
      body.webhook_url === null
        ? null
        : (await checkWebhookUrl(body.webhook_url, webhookUrls ?? { allowlist: [] })).url.href;
  }
  if (body.budget_usd !== undefined) settings.budgetUsd = body.budget_usd;
  if (body.budget_period !== undefined) settings.budgetPeriod = body.budget_period;
  if (body.requests_per_minute !== undefined) {
    settings.requestsPerMinute = body.requests_per_minute;
  }
  if (body.tokens_per_minute !== undefined) settings.tokensPerMinute = body.tokens_per_minute;
  if (body.max_concurrent !== undefined) settings.maxConcurrent = body.max_concurrent;
  return settings;
}

function futureExpiry(text: string, now: Date): Date {
  const expiresAt = new Date(text);
  if (expiresAt.getTime() <= now.getTime()) {
    throw new InvalidRequestError(
      `expires_at ${expiresAt.toISOString()} is not in the future (it is now ${now.toISOString()}): give a later time, or expires_in_days`,
    );
  }
  return expiresAt;
}

/** A budget means nothing without the period its spend is counted over. */
export function requireBudgetPeriod(limits: {
  readonly budgetUsd: number | null;
  readonly budgetPeriod: BudgetPeriod | null;
}): void {
  if (limits.budgetUsd !== null && limits.budgetPeriod === null) {
    throw new InvalidRequestError(
      `A budget of ${limits.budgetUsd} USD needs its period: give budget_period (day, week or month), or budget_usd null to remove the budget`,
    );
  }
}

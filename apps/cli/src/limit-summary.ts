import type { ApiKeyBody, LimitValues } from '@llmq/contracts';

/** Limits in words, the ones set only: `budget 20 USD per month, 60 requests/minute`. */
export function limitSummary(limits: LimitValues): string {
  const parts: string[] = [];
  if (limits.budget_usd !== null) {
    parts.push(`budget ${limits.budget_usd} USD per ${limits.budget_period ?? '?'}`);
  }
  if (limits.requests_per_minute !== null) {
    parts.push(`${limits.requests_per_minute.toLocaleString('en-US')} requests/minute`);
  }
  if (limits.tokens_per_minute !== null) {
    parts.push(`${limits.tokens_per_minute.toLocaleString('en-US')} tokens/minute`);
  }
  if (limits.max_concurrent !== null) {
    parts.push(`${limits.max_concurrent.toLocaleString('en-US')} at once`);
  }
  return parts.length === 0 ? 'no limits' : parts.join(', ');
}

/** One key on one line: id, name, owner, then what is set on it. */
export function keyLine(key: ApiKeyBody): string {
  const parts = [key.id, key.name, `owner ${key.owner}`];
  if (key.allowed_models !== null) parts.push(`models ${key.allowed_models.join(', ')}`);
  if (key.expires_at !== null) parts.push(`expires ${key.expires_at}`);
  if (key.webhook_url !== null) parts.push(`webhook ${key.webhook_url}`);
  const limits = limitSummary(key);
  if (limits !== 'no limits') parts.push(limits);
  parts.push(`created ${key.created_at}`);
  if (key.revoked_at !== null) parts.push(`revoked ${key.revoked_at}`);
  return parts.join('  ');
}

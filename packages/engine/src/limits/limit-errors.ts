import type { BudgetPeriod } from '@llmq/contracts';
import { type FailureTraits, LlmqError } from '@llmq/core';

/** Whose limit: an owner key's own, or its owner's (binding every key of the owner). */
export type LimitHolder = 'key' | 'owner';

function holderWords(holder: LimitHolder): string {
  return holder === 'key' ? "This API key's" : "Your owner's";
}

/** The key may not use this model: 403, naming the models it may use. */
export class ModelNotAllowedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'model-not-allowed',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'ModelNotAllowedError';
  readonly model: string;
  readonly allowedModels: readonly string[];

  constructor(model: string, allowedModels: readonly string[]) {
    super(
      allowedModels.length > 0
        ? `This API key may not use the model ${model}; it may use: ${allowedModels.join(', ')}`
        : `This API key may not use any model (its allowed models are empty); ask an admin to allow some`,
    );
    this.model = model;
    this.allowedModels = allowedModels;
  }
}

/** The budget of the period is spent: 402 until the period resets or the budget is raised. */
export class BudgetExceededError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'budget-exceeded',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'BudgetExceededError';
  readonly holder: LimitHolder;
  readonly budgetUsd: number;
  readonly spentUsd: number;
  readonly period: BudgetPeriod;
  readonly resetsAt: Date;

  constructor(input: {
    holder: LimitHolder;
    budgetUsd: number;
    spentUsd: number;
    period: BudgetPeriod;
    resetsAt: Date;
  }) {
    super(
      `${holderWords(input.holder)} budget of $${input.budgetUsd} per ${input.period} is spent ($${roundUsd(input.spentUsd)} this ${input.period}); nothing was queued. It resets at ${input.resetsAt.toISOString()}, or an admin can raise it`,
    );
    this.holder = input.holder;
    this.budgetUsd = input.budgetUsd;
    this.spentUsd = input.spentUsd;
    this.period = input.period;
    this.resetsAt = input.resetsAt;
  }
}

/** Which per-minute or concurrent limit a request ran into. */
export type RateLimitName = 'requests_per_minute' | 'tokens_per_minute' | 'max_concurrent';

const limitWords: Record<RateLimitName, (limit: number) => string> = {
  requests_per_minute: (limit) => `limit of ${limit} requests per minute is reached`,
  tokens_per_minute: (limit) =>
    `limit of ${limit} tokens per minute is reached by the answers of this minute`,
  max_concurrent: (limit) =>
    `limit of ${limit} interactive prompts queued or running at once is reached`,
};

/** A per-minute or concurrency limit of the key or its owner is reached: 429, with when to retry. */
export class LimitExceededError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'limit-exceeded',
    blame: 'request',
    retryable: true,
    edge: 'http',
  };
  override readonly name = 'LimitExceededError';
  readonly holder: LimitHolder;
  readonly limit: RateLimitName;
  readonly value: number;
  readonly used: number;
  /** When trying again may succeed: the next minute, or a guess for concurrency. */
  readonly retryAt: Date;

  constructor(input: {
    holder: LimitHolder;
    limit: RateLimitName;
    value: number;
    used: number;
    retryAt: Date;
  }) {
    super(
      `${holderWords(input.holder)} ${limitWords[input.limit](input.value)}; nothing was queued. Try again after ${input.retryAt.toISOString()}${input.limit === 'max_concurrent' ? ', once some of them have ended' : ''}`,
    );
    this.holder = input.holder;
    this.limit = input.limit;
    this.value = input.value;
    this.used = input.used;
    this.retryAt = input.retryAt;
  }
}

function roundUsd(value: number): string {
  return value.toFixed(6).replace(/\.?0+$/, '');
}

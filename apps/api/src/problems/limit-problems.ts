import { type Problem, problemCatalogue, problemType } from '@llmq/contracts';
import type { BudgetExceededError, LimitExceededError, ModelNotAllowedError } from '@llmq/engine';

const problems = problemCatalogue;

/** 403: the key may not use the model; the models it may use are named. */
export function modelNotAllowedProblem(error: ModelNotAllowedError): Problem {
  return {
    type: problemType(problems.modelNotAllowed.slug),
    title: problems.modelNotAllowed.title,
    status: problems.modelNotAllowed.status,
    detail: error.message,
    errors: [
      {
        path: 'model',
        message:
          error.allowedModels.length > 0
            ? `allowed: ${error.allowedModels.join(', ')}`
            : 'this key may use no model',
      },
    ],
  };
}

/** 402: the budget, what was spent of it, its period and when it resets. */
export function budgetProblem(error: BudgetExceededError): Problem {
  return {
    type: problemType(problems.budgetExceeded.slug),
    title: problems.budgetExceeded.title,
    status: problems.budgetExceeded.status,
    detail: error.message,
    limit: {
      holder: error.holder,
      name: 'budget',
      value: error.budgetUsd,
      used: error.spentUsd,
      period: error.period,
      resets_at: error.resetsAt.toISOString(),
    },
  };
}

/** 429: the limit, what is used of it, and when to try again. */
export function limitProblem(error: LimitExceededError): Problem {
  return {
    type: problemType(problems.limitExceeded.slug),
    title: problems.limitExceeded.title,
    status: problems.limitExceeded.status,
    detail: error.message,
    limit: {
      holder: error.holder,
      name: error.limit,
      value: error.value,
      used: error.used,
      resets_at: error.retryAt.toISOString(),
    },
  };
}

/** A reached limit's `Retry-After`, in whole seconds (at least 1), from when it resets. */
export function retryAfterOf(problem: Problem, now = Date.now()): number | undefined {
  if (!problem.limit) return undefined;
  return Math.max(1, Math.ceil((Date.parse(problem.limit.resets_at) - now) / 1000));
}

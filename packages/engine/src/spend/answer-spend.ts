import type { ResponseSpend } from '@llmq/db';

/** The spend of answers a check refused, by the error it threw. */
const refusedAnswers = new WeakMap<object, ResponseSpend>();

/**
 * Run a check of an answer the model gave (its schema): an error it throws carries what the
 * answer cost, so the failure's write counts it (the provider charged for it all the same).
 */
export function checkAnswer<T>(spend: ResponseSpend, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (error !== null && typeof error === 'object') refusedAnswers.set(error, spend);
    throw error;
  }
}

/** What the refused answer behind this error cost; undefined when no answer was refused. */
export function refusedAnswerSpend(error: unknown): ResponseSpend | undefined {
  return error !== null && typeof error === 'object' ? refusedAnswers.get(error) : undefined;
}

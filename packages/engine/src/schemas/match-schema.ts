import { SchemaMismatchError } from '@llmq/core';
import type { ValidateFunction } from 'ajv';
import { describeErrors } from './compile-json-schema.ts';

/**
 * The answer as the data its schema asks for: the text parsed as JSON and validated. An answer
 * that does not parse or match is a `SchemaMismatchError` saying why (the parse error, or the
 * first validation errors with their instance paths), retryable as the caller decides.
 */
export function matchSchema(
  text: string,
  validate: ValidateFunction,
  options: { readonly retryable: boolean },
): unknown {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SchemaMismatchError(`the answer is not JSON (${reason})`, options);
  }
  if (!validate(data)) {
    throw new SchemaMismatchError(describeErrors(validate.errors ?? []), options);
  }
  return data;
}

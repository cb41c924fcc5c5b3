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
  let valid: boolean;
  try {
    valid = validate(data) as boolean;
  } catch (error) {
    // A deeply nested answer checked against a recursive schema overflows the validator's
    // stack: that answer is refused like any other mismatch, not settled as an unknown error.
    const cause = error instanceof Error ? error.message : String(error);
    throw new SchemaMismatchError(`the answer is nested too deeply to check (${cause})`, options);
  }
  if (!valid) throw new SchemaMismatchError(describeErrors(validate.errors ?? []), options);
  return data;
}

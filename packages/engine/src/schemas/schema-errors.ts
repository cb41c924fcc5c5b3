import { type FailureTraits, LlmqError } from '@llmq/core';

/**
 * A schema given with a prompt or batch that cannot be used: llm's concise syntax that does not
 * parse, or a JSON Schema that does not compile. 422; the message says why.
 */
export class InvalidSchemaError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-schema',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'InvalidSchemaError';
}

/** A stored schema's id that names no schema this caller uses. 422 (the body names it). */
export class UnknownSchemaError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'unknown-schema',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'UnknownSchemaError';
  readonly id: string;

  constructor(id: string) {
    super(
      `No stored schema has the id ${id}; GET /v1/schemas lists the schemas your prompts use, or give the schema itself (JSON Schema or the concise syntax)`,
    );
    this.id = id;
  }
}

/** A stored schema a prompt links, gone from the database (nothing deletes one): it fails. */
export class SchemaMissingError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'schema-missing',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'SchemaMissingError';
}

import type { JsonSchema } from '@llmq/core';
import { type DatabaseExecutor, getStoredSchema } from '@llmq/db';
import type { ValidateFunction } from 'ajv';
import { compileJsonSchema } from './compile-json-schema.ts';
import { SchemaMissingError } from './schema-errors.ts';

/** A stored schema as a run needs it: what the model is asked for, and its compiled check. */
export interface RunnableSchema {
  readonly id: string;
  readonly content: JsonSchema;
  readonly validate: ValidateFunction;
}

/**
 * The schemas a worker runs prompts with, loaded and compiled once each: a stored schema never
 * changes (its id is its content's hash), so a cached one is never stale. Keeps the most
 * recently used `capacity`, so a fleet running many schemas holds a bounded number.
 */
export class SchemaStore {
  readonly #db: DatabaseExecutor;
  readonly #capacity: number;
  readonly #entries = new Map<string, Promise<RunnableSchema>>();

  constructor(db: DatabaseExecutor, capacity = 256) {
    this.#db = db;
    this.#capacity = capacity;
  }

  get(id: string): Promise<RunnableSchema> {
    const cached = this.#entries.get(id);
    if (cached) {
      // Most recently used last: the first entry is the one to drop.
      this.#entries.delete(id);
      this.#entries.set(id, cached);
      return cached;
    }
    const loading = this.#load(id);
    this.#entries.set(id, loading);
    // A failed load (the database away) is looked up again next time.
    loading.catch(() => this.#entries.delete(id));
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    return loading;
  }

  async #load(id: string): Promise<RunnableSchema> {
    const row = await getStoredSchema(this.#db, id);
    if (!row) throw new SchemaMissingError(`The stored schema ${id} is missing`);
    return { id, content: row.content, validate: compileJsonSchema(row.content) };
  }
}

import { createHash } from 'node:crypto';

/**
 * A stored schema's id: the sha256 hex of its compact JSON, keys in the order given. Key order
 * is part of a schema (models answer a schema's properties in its order), so two schemas that
 * differ only in it are stored apart. The server and the CLI (which finds prompts by a schema
 * without asking the server) compute it alike. A subpath of its own (`@llmq/contracts/
 * schema-id`) because node:crypto has no place in the console's bundle.
 */
export function schemaIdOf(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

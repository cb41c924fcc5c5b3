import { createHash } from 'node:crypto';
import { canonicalJson, type JsonSchemaObject } from '@llmq/contracts';

/**
 * The id the server stores a schema under: the sha256 of its canonical JSON, so that the CLI
 * can find prompts by a schema given as JSON or concise text without asking the server.
 */
export function schemaIdOf(schema: JsonSchemaObject): string {
  return createHash('sha256').update(canonicalJson(schema)).digest('hex');
}

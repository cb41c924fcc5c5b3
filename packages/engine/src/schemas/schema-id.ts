import { createHash } from 'node:crypto';
import { canonicalJson } from '@llmq/contracts';

/** A stored schema's id: the sha256 hex of its canonical JSON, as the CLI computes it too. */
export function schemaIdOf(schema: unknown): string {
  return createHash('sha256').update(canonicalJson(schema)).digest('hex');
}

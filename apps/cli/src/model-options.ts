import type { LlmqClient } from '@llmq/client';
import { splitPair } from './argv-pairs.ts';
import { findModel, serverDefaultModel } from './default-model.ts';
import { coerceOptions } from './option-coercion.ts';

/**
 * `-o KEY VALUE` pairs typed by the options of the model that will answer: the named one, or
 * the server's default when none is named; undefined when there are no options (no look-up).
 */
export async function modelOptions(
  client: LlmqClient,
  modelName: string | undefined,
  pairs: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  if (pairs.length === 0) return undefined;
  const models = await client.models();
  const model = modelName ? findModel(models, modelName) : serverDefaultModel(models);
  return coerceOptions(
    model,
    pairs.map((pair) => splitPair(pair, '-o')),
  );
}

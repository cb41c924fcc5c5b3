import type { Register } from '@llmq/core';
import { EchoModel } from './echo-model.ts';

export { describePrompt, type EchoDescription } from './echo-description.ts';
export { countWords, EchoModel, splitChunks } from './echo-model.ts';
export { type EchoOptions, echoOptionsSchema } from './echo-options.ts';
export { schemaExample } from './schema-example.ts';

/** The plugin hook: registers `echo`. */
export function registerModels(register: Register): void {
  register(new EchoModel());
}

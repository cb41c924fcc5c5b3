import type { Register } from '@llmq/core';
import { EchoModel } from './echo-model.ts';

export {
  describePrompt,
  type EchoDescription,
  type ToolCallDescription,
  type ToolResultDescription,
  type TurnDescription,
} from './echo-description.ts';
export { countWords, EchoModel, splitChunks } from './echo-model.ts';
export { type EchoOptions, echoOptionsSchema } from './echo-options.ts';
export { requestedToolCalls } from './echo-tool-calls.ts';
export { schemaExample } from './schema-example.ts';

/** The plugin hook: registers `echo`. */
export function registerModels(register: Register): void {
  register(new EchoModel());
}

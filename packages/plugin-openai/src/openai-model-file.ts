import { readFileSync } from 'node:fs';
import { PluginError } from '@llmq/core';

/**
 * The text of `LLMQ_OPENAI_MODELS_FILE`, read once at start (a plugin registers its models
 * before the app serves anything, so a synchronous read costs nothing). JSON only: no YAML
 * parser is among llmq's dependencies, and the list is the same as `LLMQ_OPENAI_MODELS`'s.
 */
export function readOpenAIModelFile(path: string): string {
  if (/\.ya?ml$/i.test(path)) {
    throw new PluginError(
      '@llmq/plugin-openai',
      `LLMQ_OPENAI_MODELS_FILE (${path}): give a JSON file, such as models.json holding [{"id":"llama3"}]; YAML is not read`,
    );
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PluginError(
      '@llmq/plugin-openai',
      `LLMQ_OPENAI_MODELS_FILE (${path}) cannot be read: ${reason}`,
      error,
    );
  }
}

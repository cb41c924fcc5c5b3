import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LlmqClient } from '@llmq/client';
import type { ModelBody } from '@llmq/contracts';

/** The file llm uses for the same purpose, in the user's llmq folder. */
const fileName = 'default_model.txt';

export function defaultModelPath(configDirectory: string): string {
  return join(configDirectory, fileName);
}

/** The user's default model, or undefined when they have not chosen one (the server's applies). */
export async function readDefaultModel(configDirectory: string): Promise<string | undefined> {
  try {
    const name = (await readFile(defaultModelPath(configDirectory), 'utf8')).trim();
    return name === '' ? undefined : name;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function writeDefaultModel(configDirectory: string, name: string): Promise<void> {
  await mkdir(configDirectory, { recursive: true });
  await writeFile(defaultModelPath(configDirectory), `${name}\n`);
}

export async function clearDefaultModel(configDirectory: string): Promise<void> {
  await rm(defaultModelPath(configDirectory), { force: true });
}

/** A model by id or alias, as the server resolves them (aliases ignore case). */
export function findModel(models: readonly ModelBody[], name: string): ModelBody | undefined {
  return (
    models.find((model) => model.id === name) ??
    models.find((model) =>
      model.aliases.some((alias) => alias.toLowerCase() === name.toLowerCase()),
    )
  );
}

/** The model the server uses when a prompt names none (`default: true` in GET /v1/models). */
export function serverDefaultModel(models: readonly ModelBody[]): ModelBody | undefined {
  return models.find((model) => model.default);
}

/**
 * The model to send: `-m`, else the user's default unless a conversation is continued (it goes
 * on with its own model, as in llm); undefined leaves the choice to the server.
 */
export async function chosenModel(
  named: string | undefined,
  conversationId: string | undefined,
  configDirectory: string,
): Promise<string | undefined> {
  if (named) return named;
  if (conversationId) return undefined;
  return readDefaultModel(configDirectory);
}

/** The model a continued conversation answers with, to type `-o` values by its options. */
export async function modelOfConversation(
  client: LlmqClient,
  conversationId: string | undefined,
): Promise<string | undefined> {
  return conversationId ? (await client.getConversation(conversationId)).model : undefined;
}

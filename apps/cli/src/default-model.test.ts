import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelBody } from '@llmq/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chosenModel,
  clearDefaultModel,
  findModel,
  readDefaultModel,
  serverDefaultModel,
  writeDefaultModel,
} from './default-model.ts';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llmq-config-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

// Cast: the look-ups read ids, aliases and default only.
const models = [
  { id: 'echo', aliases: [], default: true },
  { id: 'gpt-4o-mini', aliases: ['4o-mini'], default: false },
] as unknown as ModelBody[];

describe('the user’s default model', () => {
  it('is kept in default_model.txt, created with its folder, and cleared', async () => {
    const config = join(folder, 'nested', 'llmq');
    expect(await readDefaultModel(config)).toBeUndefined();
    await writeDefaultModel(config, 'gpt-4o-mini');
    expect(await readFile(join(config, 'default_model.txt'), 'utf8')).toBe('gpt-4o-mini\n');
    expect(await readDefaultModel(config)).toBe('gpt-4o-mini');
    await clearDefaultModel(config);
    expect(await readDefaultModel(config)).toBeUndefined();
  });

  it('is sent unless -m names one or a conversation goes on with its own', async () => {
    await writeDefaultModel(folder, 'gpt-4o-mini');
    expect(await chosenModel(undefined, undefined, folder)).toBe('gpt-4o-mini');
    expect(await chosenModel('echo', undefined, folder)).toBe('echo');
    expect(await chosenModel(undefined, 'conversation-id', folder)).toBeUndefined();
  });
});

describe('model look-ups', () => {
  it('find a model by id or by alias in any case, and the server’s default', () => {
    expect(findModel(models, '4O-MINI')?.id).toBe('gpt-4o-mini');
    expect(findModel(models, 'gpt-9')).toBeUndefined();
    expect(serverDefaultModel(models)?.id).toBe('echo');
  });
});

import { ModelRegistry } from '@llmq/core';
import * as echo from '@llmq/plugin-echo';
import { describe, expect, it } from 'vitest';
import { DefaultModelError, resolveDefaultModel } from './default-model.ts';

async function registryWith(withEcho: boolean): Promise<ModelRegistry> {
  const registry = new ModelRegistry();
  if (withEcho) await registry.use('@llmq/plugin-echo', echo, { settings: {} });
  return registry;
}

describe('resolveDefaultModel', () => {
  it('is echo when LLMQ_DEFAULT_MODEL is unset and echo is loaded, else none', async () => {
    expect(resolveDefaultModel(await registryWith(true), undefined)).toBe('echo');
    expect(resolveDefaultModel(await registryWith(false), undefined)).toBeUndefined();
  });

  it('takes a registered model', async () => {
    expect(resolveDefaultModel(await registryWith(true), 'echo')).toBe('echo');
  });

  it('refuses a model no plugin registers, naming the variable and the models', async () => {
    const registry = await registryWith(true);
    expect(() => resolveDefaultModel(registry, 'gpt-7')).toThrow(DefaultModelError);
    expect(() => resolveDefaultModel(registry, 'gpt-7')).toThrow(
      'LLMQ_DEFAULT_MODEL is "gpt-7", which no loaded plugin registers; the models are: echo',
    );
  });
});

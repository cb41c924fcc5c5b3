import { describe, expect, it } from 'vitest';
import { createApiKeyStore, type KeyStorage } from './api-key-store.ts';

function memoryStorage(): KeyStorage {
  const items = new Map<string, string>();
  return {
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => {
      items.set(name, value);
    },
    removeItem: (name) => {
      items.delete(name);
    },
  };
}

describe('createApiKeyStore', () => {
  it('has no key until one is given, and tells its listeners when a key comes and goes', () => {
    const store = createApiKeyStore(memoryStorage());
    const seen: Array<string | undefined> = [];
    store.onChange(() => seen.push(store.get()));
    expect(store.get()).toBeUndefined();
    store.set('llmq_key');
    expect(store.get()).toBe('llmq_key');
    store.clear();
    expect(store.get()).toBeUndefined();
    expect(seen).toEqual(['llmq_key', undefined]);
  });
});

const storageKey = 'llmq.apiKey';

/** The part of the Web Storage API the store uses: sessionStorage in the browser. */
export type KeyStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ApiKeyStore {
  get(): string | undefined;
  set(key: string): void;
  clear(): void;
  /** Call `listener` after each change (a key given, or forgotten). */
  onChange(listener: () => void): void;
}

/** An API key store over `storage`, telling its listeners when the key comes or goes. */
export function createApiKeyStore(storage: KeyStorage): ApiKeyStore {
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };
  return {
    get: () => storage.getItem(storageKey) ?? undefined,
    set: (key) => {
      storage.setItem(storageKey, key);
      changed();
    },
    clear: () => {
      storage.removeItem(storageKey);
      changed();
    },
    onChange: (listener) => {
      listeners.add(listener);
    },
  };
}

/**
 * The API key, kept for this browser tab only (sessionStorage): asked once per tab. The storage
 * is reached when used, not when this module loads, so tests of its importers run without one.
 */
export const apiKeyStore: ApiKeyStore = createApiKeyStore({
  getItem: (name) => sessionStorage.getItem(name),
  setItem: (name, value) => sessionStorage.setItem(name, value),
  removeItem: (name) => sessionStorage.removeItem(name),
});

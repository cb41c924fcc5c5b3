const storageKey = 'llmq.apiKey';

/** The API key, kept for this browser tab only (sessionStorage): asked once per tab. */
export const apiKeyStore = {
  get(): string | undefined {
    return sessionStorage.getItem(storageKey) ?? undefined;
  },
  set(key: string): void {
    sessionStorage.setItem(storageKey, key);
  },
  clear(): void {
    sessionStorage.removeItem(storageKey);
  },
};

import type { Caller } from './authenticator.ts';

/** Who new work belongs to: its owner, the owner key that made it, where its end is delivered. */
export interface Submitter {
  readonly owner: string | undefined;
  readonly apiKeyId: string | undefined;
  /** The key's webhook: work that names none of its own reports there. */
  readonly webhookUrl: string | undefined;
}

export function submitterOf(caller: Caller): Submitter {
  return {
    owner: caller.owner,
    apiKeyId: caller.apiKey?.id,
    webhookUrl: caller.apiKey?.webhookUrl ?? undefined,
  };
}

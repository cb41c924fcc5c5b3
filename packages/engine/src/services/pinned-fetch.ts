import type { LookupAddress } from 'node:dns';
import type { Agent, fetch } from 'undici';

/** undici's fetch, and a dispatcher for it that connects only to the addresses given. */
export interface PinnedFetch {
  readonly fetch: typeof fetch;
  readonly dispatcher: Agent;
}

/**
 * A fetch whose connections go to `addresses` (checked by the caller) whatever DNS answers
 * when it connects, so a name cannot be made to point elsewhere between the check and the
 * connection. undici is loaded at the first call: it is some 6 MB of heap that a process
 * fetching no URL and sending no webhook would otherwise carry through every full collection.
 */
export async function pinnedFetch(addresses: readonly LookupAddress[]): Promise<PinnedFetch> {
  const { Agent, fetch } = await import('undici');
  const dispatcher = new Agent({
    connect: {
      lookup: (_hostname, lookupOptions, callback) => {
        if ((lookupOptions as { all?: boolean }).all) {
          (callback as (error: null, all: readonly LookupAddress[]) => void)(null, addresses);
        } else {
          const [first] = addresses as [LookupAddress];
          callback(null, first.address, first.family);
        }
      },
    },
  });
  return { fetch, dispatcher };
}

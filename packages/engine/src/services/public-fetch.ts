import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { FailureTraits } from '@llmq/core';
import { AttachmentError, type HttpFetch } from '@llmq/core';
import ipaddr from 'ipaddr.js';
import { addressRange } from './address-range.ts';
import { pinnedFetch } from './pinned-fetch.ts';

/** Resolves a host name to every address it has. */
export type HostLookup = (hostname: string) => Promise<LookupAddress[]>;

export interface PublicFetchOptions {
  /**
   * Hosts allowed even at private addresses: `host`, `host:port`, an IP or a CIDR range
   * (`10.0.0.0/8`). For tests and private deployments (`LLMQ_URL_ALLOWLIST`).
   */
  readonly allowlist?: readonly string[];
  /** How names are resolved (a stub in tests). */
  readonly lookup?: HostLookup;
}

/** A URL that leads somewhere llmq does not fetch from: 422. */
export class BlockedAddressError extends AttachmentError {
  static override readonly failure: FailureTraits = {
    code: 'attachment-address-blocked',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  constructor(url: string, address: string, range: string) {
    super(
      `${url} leads to ${address} (${range}): attachments are fetched only from public addresses; a deployment can allow hosts with LLMQ_URL_ALLOWLIST`,
    );
  }
}

/**
 * A URL whose server could not be reached. The message says only that: the socket's own error
 * (connection refused at which address and port, reset, timed out) would let a caller map what
 * the server can reach. The cause keeps it for the server's log.
 */
export class UnreachableUrlError extends AttachmentError {
  static override readonly failure: FailureTraits = {
    code: 'attachment-url-unreachable',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(
      `${url} could not be fetched: no answer came from its server. Check that the URL opens from the public internet, or send the file's bytes instead of its URL`,
      { cause },
    );
    this.url = url;
  }
}

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Whether the allowlist (LLMQ_URL_ALLOWLIST) names this host, host:port, address or its range. */
export function allowlisted(
  allowlist: readonly string[],
  host: string,
  port: string,
  address?: string,
): boolean {
  for (const entry of allowlist) {
    if (entry === host || entry === `${host}:${port}`) return true;
    if (address && entry.includes('/') && ipaddr.isValidCIDR(entry)) {
      const [network, bits] = ipaddr.parseCIDR(entry);
      const candidate = ipaddr.process(address);
      if (candidate.kind() === network.kind() && candidate.match([network, bits])) return true;
    } else if (
      address &&
      ipaddr.isValid(entry) &&
      ipaddr.process(entry).toString() === ipaddr.process(address).toString()
    ) {
      return true;
    }
  }
  return false;
}

/**
 * A fetch for URL attachments that reaches only public addresses: the name is resolved first,
 * every address checked (loopback, private, link-local, multicast, cloud metadata, unique-local
 * refused; IPv6 forms that carry an IPv4 address judged by that address), and the connection made to the checked addresses, so DNS
 * cannot change the answer in between. Each redirect is a new call, checked again.
 */
export function createPublicFetch(options: PublicFetchOptions = {}): HttpFetch {
  const allowlist = options.allowlist ?? [];
  const lookup = options.lookup ?? defaultLookup;
  return async (url, init) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new AttachmentError(`${url}: only http and https URLs can be fetched`);
    }
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const port = target.port || (target.protocol === 'https:' ? '443' : '80');
    const addresses: LookupAddress[] = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host).catch((error: unknown) => {
          throw new AttachmentError(
            `Could not resolve ${host}: check the host name in the URL, or send the file's bytes instead of its URL`,
            { cause: error },
          );
        });
    if (addresses.length === 0) throw new AttachmentError(`${host} has no address`);
    for (const { address } of addresses) {
      const range = addressRange(address);
      if (range !== 'unicast' && !allowlisted(allowlist, host, port, address)) {
        throw new BlockedAddressError(url, address, range);
      }
    }
    const pinned = await pinnedFetch(addresses);
    try {
      return (await pinned.fetch(url, {
        ...(init as object),
        dispatcher: pinned.dispatcher,
      })) as unknown as globalThis.Response;
    } catch (error) {
      // An abort is the caller's (its time limit, a client gone): it tells those apart itself.
      if (init.signal?.aborted) throw error;
      throw new UnreachableUrlError(url, error);
    }
  };
}

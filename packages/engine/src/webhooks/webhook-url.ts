import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type FailureTraits, LlmqError } from '@llmq/core';
import { addressRange } from '../services/address-range.ts';
import { allowlisted, type HostLookup } from '../services/public-fetch.ts';

/** Where webhooks may go: URL attachments' rules (public addresses, unless allowlisted). */
export interface WebhookUrlRules {
  /** LLMQ_URL_ALLOWLIST: hosts reachable even at private addresses. */
  readonly allowlist: readonly string[];
  /** How names are resolved (a stub in tests). */
  readonly lookup?: HostLookup | undefined;
}

/** A webhook URL llmq will not call: 422 at submission, a failed attempt at delivery. */
export class WebhookUrlError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'webhook-url-refused',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'WebhookUrlError';
}

/** A checked webhook URL and the addresses it may be called at (no other: DNS may change). */
export interface CheckedWebhookUrl {
  readonly url: URL;
  readonly addresses: readonly LookupAddress[];
}

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The longest webhook URL accepted: receivers' URLs are short, a huge one is a mistake. */
const maxUrlLength = 2_048;

/**
 * Check a webhook URL as URL attachments are checked: http or https, no credentials in it, its
 * host resolved and every address public (loopback, private, link-local, cloud metadata and the
 * rest refused) unless LLMQ_URL_ALLOWLIST names it. The addresses come back so the delivery
 * connects to exactly those.
 */
export async function checkWebhookUrl(
  text: string,
  rules: WebhookUrlRules,
): Promise<CheckedWebhookUrl> {
  if (text.length > maxUrlLength) {
    throw new WebhookUrlError(`webhook_url is longer than ${maxUrlLength} characters`);
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookUrlError(
      `webhook_url ${JSON.stringify(text)} is not a URL: give an absolute http(s) URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WebhookUrlError(`webhook_url ${text}: only http and https URLs are called`);
  }
  if (url.username || url.password) {
    throw new WebhookUrlError(
      `webhook_url ${url.host}: credentials in the URL are not sent; verify the webhook-signature header instead`,
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  const addresses: LookupAddress[] = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await (rules.lookup ?? defaultLookup)(host).catch((error: unknown) => {
        throw new WebhookUrlError(
          `webhook_url: could not resolve ${host}; check the host name in the URL`,
          { cause: error },
        );
      });
  if (addresses.length === 0) throw new WebhookUrlError(`webhook_url: ${host} has no address`);
  for (const { address } of addresses) {
    const range = addressRange(address);
    if (range !== 'unicast' && !allowlisted(rules.allowlist, host, port, address)) {
      throw new WebhookUrlError(
        `webhook_url ${url.origin} leads to ${address} (${range}): webhooks are sent only to public addresses, as URL attachments are fetched; a deployment can allow hosts with LLMQ_URL_ALLOWLIST`,
      );
    }
  }
  return { url, addresses };
}

/**
 * The webhook of new work: the request's own, checked now (a refused one is a 422 naming the
 * rule), else its key's (checked when the key was set, and like any other at every delivery).
 */
export async function webhookUrlOf(
  rules: WebhookUrlRules | undefined,
  requested: string | undefined,
  keyWebhookUrl: string | undefined,
): Promise<string | undefined> {
  if (requested === undefined) return keyWebhookUrl;
  const { url } = await checkWebhookUrl(requested, rules ?? { allowlist: [] });
  return url.href;
}

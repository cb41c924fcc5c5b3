import type { LookupAddress } from 'node:dns';
import { pinnedFetch } from '../services/pinned-fetch.ts';
import type { WebhookSigner } from './webhook-signer.ts';
import { checkWebhookUrl, type WebhookUrlRules } from './webhook-url.ts';

export interface WebhookMessage {
  /** The delivery's id: `webhook-id`, the same on every attempt, so receivers drop repeats. */
  readonly id: string;
  readonly url: string;
  readonly payload: string;
}

export interface SendWebhookOptions {
  readonly signer: WebhookSigner;
  readonly rules: WebhookUrlRules;
  /** How long the receiver has to answer (LLMQ_WEBHOOK_TIMEOUT_MS). */
  readonly timeoutMs: number;
  /** The clock, in milliseconds (a fixed one in tests). */
  readonly now?: () => number;
}

/** What one attempt came to: a 2xx is delivered; anything else is retried. */
export interface WebhookAnswer {
  readonly delivered: boolean;
  readonly statusCode: number | null;
  readonly error: string | null;
}

/** How much of a refusing receiver's body is kept with the attempt, to say why it refused. */
const bodySnippetBytes = 512;

/**
 * One attempt at a webhook: the URL is checked again (DNS may have changed since submission) and
 * the connection made only to the addresses just checked; the body is signed as Standard
 * Webhooks specifies; redirects are not followed (a 3xx is a failed attempt); at most a few
 * hundred bytes of the answer are read.
 */
export async function sendWebhook(
  message: WebhookMessage,
  options: SendWebhookOptions,
): Promise<WebhookAnswer> {
  let addresses: readonly LookupAddress[];
  try {
    ({ addresses } = await checkWebhookUrl(message.url, options.rules));
  } catch (error) {
    return { delivered: false, statusCode: null, error: (error as Error).message };
  }
  const timestamp = Math.floor((options.now?.() ?? Date.now()) / 1000);
  const pinned = await pinnedFetch(addresses);
  try {
    const response = await pinned.fetch(message.url, {
      method: 'POST',
      redirect: 'manual',
      dispatcher: pinned.dispatcher,
      signal: AbortSignal.timeout(options.timeoutMs),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'llmq-webhooks',
        'webhook-id': message.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': options.signer.sign(message.id, timestamp, message.payload),
      },
      body: message.payload,
    });
    const delivered = response.status >= 200 && response.status < 300;
    const snippet = delivered ? '' : await readSnippet(response.body);
    await response.body?.cancel().catch(() => undefined);
    return {
      delivered,
      statusCode: response.status,
      error: delivered
        ? null
        : `the receiver answered ${response.status}${snippet ? `: ${snippet}` : ''}`,
    };
  } catch (error) {
    const timedOut = (error as Error).name === 'TimeoutError';
    return {
      delivered: false,
      statusCode: null,
      error: timedOut
        ? `no answer within ${options.timeoutMs} ms`
        : `could not reach the receiver: ${causeOf(error)}`,
    };
  } finally {
    await pinned.dispatcher.destroy().catch(() => undefined);
  }
}

async function readSnippet(body: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < bodySnippetBytes) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // What came before the failure is still a clue.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, bodySnippetBytes).toString('utf8').trim();
}

/** The socket's own words (refused, reset), which undici wraps in a bare "fetch failed". */
function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

import { problemCatalogue } from '@llmq/contracts';
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problems/problems.ts';
import type { ApiEnv } from '../server/api-env.ts';
import type { Authenticator } from './authenticator.ts';
import { isLoopbackHost } from './loopback-host.ts';

/**
 * Without keys every caller is admin, and listening on loopback keeps other machines out, but
 * not a web page: a page whose name is made to resolve to 127.0.0.1 (DNS rebinding) reaches the
 * port as a same-origin page, and could read everything and spend the stored provider keys. Its
 * requests still name its own host, so while no key is required only requests addressed to a
 * loopback name or address are answered. With keys, the key decides, whatever the host.
 */
export function loopbackHostGuard(authenticator: Authenticator): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    // The server builds the URL from the Host header (or HTTP/2's :authority).
    const url = new URL(c.req.url);
    if (isLoopbackHost(url.hostname) || (await authenticator.required())) return next();
    const port = url.port ? `:${url.port}` : '';
    throw new ProblemError(
      problemCatalogue.forbidden,
      `This server has no API keys, so it answers only requests addressed to this machine by a loopback name (localhost, 127.0.0.1 or [::1]), and this one was addressed to ${url.hostname}: open it as http://127.0.0.1${port}, or configure API keys (LLMQ_API_KEYS) to serve other host names`,
    );
  };
}

import { problemCatalogue } from '@llmq/contracts';
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problems/problems.ts';
import type { ApiEnv } from '../server/api-env.ts';
import type { Authenticator } from './authenticator.ts';

/**
 * Admins only, once keys exist: a Bearer admin key, or Basic auth with the key as password so
 * a browser (or a scraper that only speaks Basic auth) can send it. `what` names the guarded
 * thing in the problems; `otherwise` says what else an operator can do about a 403.
 */
export function adminOnly(
  authenticator: Authenticator,
  what: string,
  otherwise = '',
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    const bearer = basic
      ? `Bearer ${Buffer.from(basic[1] as string, 'base64')
          .toString('utf8')
          .split(':')
          .slice(1)
          .join(':')}`
      : header;
    const result = await authenticator.authenticate(bearer);
    if (result.outcome === 'open' || (result.outcome === 'caller' && result.caller.admin)) {
      return next();
    }
    c.header('www-authenticate', `Basic realm="llmq ${what}", charset="UTF-8"`);
    throw new ProblemError(
      result.outcome === 'refused' ? problemCatalogue.unauthorized : problemCatalogue.forbidden,
      result.outcome === 'refused'
        ? `${result.reason}; ${what} takes an admin key (as a Bearer token, or the Basic auth password in a browser)${otherwise}`
        : `${what} is for admin keys (LLMQ_API_KEYS) only${otherwise}`,
    );
  };
}

import { problemCatalogue } from '@llmq/contracts';
import type { MiddlewareHandler } from 'hono';
import { ProblemError } from '../problems/problems.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { type Authenticator, openCaller } from './authenticator.ts';
import { type StreamKind, verifyStreamToken } from './stream-token.ts';

const streamPath = /^\/v1\/(prompts|batches)\/([^/]+)\/stream$/;

function unauthorized(detail: string): ProblemError {
  return new ProblemError(problemCatalogue.unauthorized, detail);
}

/**
 * Every /v1 route: a Bearer key once any key exists, or, on a stream route, a stream token in
 * `?token=` for that stream. Sets the caller whose owner scopes the request.
 */
export function authMiddleware(
  authenticator: Authenticator,
  tokenSecret: Buffer,
): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const token = c.req.query('token');
    const stream = streamPath.exec(c.req.path);
    if (token !== undefined && stream) {
      const kind: StreamKind = stream[1] === 'prompts' ? 'prompt' : 'batch';
      const claims = verifyStreamToken(tokenSecret, token, kind, stream[2] as string);
      if (claims === undefined) {
        throw unauthorized(
          `The stream token is not valid for this ${kind} (expired, forged or for another one): ask for a new one with POST /v1/${stream[1]}/${stream[2]}/token`,
        );
      }
      if (!(await authenticator.credentialValid(claims.credential))) {
        throw unauthorized(
          `The key this stream token was made with is no longer valid (revoked or expired, or keys were turned on since): ask for a new token with a valid key, POST /v1/${stream[1]}/${stream[2]}/token`,
        );
      }
      c.set('caller', {
        owner: claims.owner === '' ? undefined : claims.owner,
        admin: false,
        credential: claims.credential,
      });
      return next();
    }
    const result = await authenticator.authenticate(c.req.header('authorization'));
    if (result.outcome === 'refused') {
      c.header('www-authenticate', 'Bearer');
      throw unauthorized(result.reason);
    }
    c.set('caller', result.outcome === 'open' ? openCaller : result.caller);
    return next();
  };
}

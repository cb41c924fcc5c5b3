import type { MiddlewareHandler } from 'hono';
import { type Authenticator, openCaller } from '../auth/authenticator.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { OpenAIRequestError } from './openai-error.ts';

/** The SDK's API key is an llmq key: the same keys, owners and rules as `/v1`. */
export function openAIAuth(authenticator: Authenticator): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const result = await authenticator.authenticate(c.req.header('authorization'));
    if (result.outcome === 'refused') {
      throw new OpenAIRequestError(
        401,
        `${result.reason}. Pass an llmq API key as the SDK's apiKey`,
        null,
        'invalid_api_key',
      );
    }
    c.set('caller', result.outcome === 'open' ? openCaller : result.caller);
    return next();
  };
}

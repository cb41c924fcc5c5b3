import { problemCatalogue } from '@llmq/contracts';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ProblemError } from '../problems/problems.ts';

/**
 * For routes that take JSON: refuse other content types (415) and bodies over the limit (413)
 * before anything is parsed.
 */
export function jsonBody(maxBytes: number): MiddlewareHandler[] {
  return [
    async (c, next) => {
      if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\b/i.test(type)) {
        throw new ProblemError(
          problemCatalogue.unsupportedMediaType,
          `This route takes a JSON body: send it with Content-Type: application/json${type ? ` (got ${type})` : ''}`,
        );
      }
      return next();
    },
    bodyLimit({
      maxSize: maxBytes,
      onError: () => {
        throw new ProblemError(
          problemCatalogue.payloadTooLarge,
          `The JSON body is larger than ${maxBytes} bytes (LLMQ_MAX_JSON_BYTES); upload big attachments with POST /v1/attachments and refer to them by id`,
        );
      },
    }),
  ];
}

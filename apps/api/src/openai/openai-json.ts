import { problemCatalogue } from '@llmq/contracts';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { OpenAIRequestError } from './openai-error.ts';

/** Bodies over `maxBytes` are refused (413) before anything is parsed. */
export function openAIBodyLimit(maxBytes: number, setting: string): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new OpenAIRequestError(
        problemCatalogue.payloadTooLarge.status,
        `The request body is larger than ${maxBytes} bytes (${setting}); send large files with POST /openai/v1/files and refer to them by file_id`,
        null,
        'request_too_large',
      );
    },
  });
}

/** The JSON body, checked against `schema`; a bad one is a 400 naming the first bad field. */
export async function readJson<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new OpenAIRequestError(
      problemCatalogue.unsupportedMediaType.status,
      `Send the body as JSON with Content-Type: application/json${type ? ` (got ${type})` : ''}`,
    );
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch (error) {
    if (error instanceof OpenAIRequestError) throw error;
    throw new OpenAIRequestError(
      problemCatalogue.malformedRequest.status,
      `The body is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
      null,
      'invalid_json',
    );
  }
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const [first] = issues;
  const param = first?.path.map(String).join('.') || null;
  const described = issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
  throw new OpenAIRequestError(400, `Invalid request: ${described}`, param, 'invalid_request');
}

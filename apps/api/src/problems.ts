import { type Problem, problemContentType } from '@llmq/contracts';
import {
  AttachmentError,
  AttachmentTypeError,
  NeedsKeyError,
  OptionsError,
  UnknownModelError,
} from '@llmq/core';
import {
  AttachmentNotFoundError,
  BatchItemsError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  unavailableService,
} from '@llmq/engine';
import {
  BlobEmptyError,
  BlobNotFoundError,
  BlobRangeError,
  BlobTypeUnknownError,
} from '@llmq/storage';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { InvalidJsonlError } from './jsonl-items.ts';
import {
  MalformedMultipartError,
  MultipartFieldTooLargeError,
  TooManyFilesError,
} from './multipart-files.ts';
import { RedisDownError } from './require-redis.ts';

/**
 * The `Retry-After` of every 503, in seconds: a backing service that is back is used within a
 * second or two (Redis reconnects every 2 s at most, PostgreSQL every 1 s).
 */
export const retryAfterSeconds = 2;

/** An error the API answers with a given problem, raised by route code. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
  readonly problem: Problem;

  constructor(
    status: number,
    slug: string,
    title: string,
    detail: string,
    errors?: Problem['errors'],
  ) {
    super(detail);
    this.problem = {
      type: problemType(slug),
      title,
      status,
      detail,
      ...(errors ? { errors } : {}),
    };
  }
}

export function problemType(slug: string): string {
  return `urn:llmq:problem:${slug}`;
}

/** Send a problem as `application/problem+json`. */
export function sendProblem(c: Context, problem: Problem): Response {
  return c.body(
    JSON.stringify({ ...problem, instance: c.req.path }),
    problem.status as ContentfulStatusCode,
    {
      'content-type': problemContentType,
      ...(problem.status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {}),
    },
  );
}

/**
 * The one place errors become HTTP: each known error kind has its status and a problem body
 * that says what was wrong and how to fix it. Anything unknown is a 500 (and logged).
 */
export function problemFor(error: unknown): Problem | undefined {
  const make = (
    status: number,
    slug: string,
    title: string,
    detail: string,
    errors?: Problem['errors'],
  ) => ({
    type: problemType(slug),
    title,
    status,
    detail,
    ...(errors ? { errors } : {}),
  });
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof UnknownModelError) {
    return make(
      404,
      'unknown-model',
      'Unknown model',
      `${error.message}. GET /v1/models lists the models this server has.`,
    );
  }
  if (error instanceof OptionsError) {
    return make(
      422,
      'invalid-options',
      'Invalid options',
      `${error.message}. GET /v1/models shows each model's options.`,
      error.issues.map((issue) => ({
        path: `options.${issue.path}`.replace(/\.$/, ''),
        message: issue.message,
      })),
    );
  }
  if (error instanceof AttachmentTypeError) {
    const accepted = error.accepted.length > 0 ? ` It accepts: ${error.accepted.join(', ')}.` : '';
    return make(
      422,
      'unsupported-attachment-type',
      'Unsupported attachment type',
      `${error.message}.${accepted}`,
    );
  }
  if (error instanceof AttachmentNotFoundError) {
    return make(422, 'attachment-not-found', 'Unknown attachment', error.message);
  }
  if (error instanceof AttachmentError) {
    return make(422, 'attachment-unreadable', 'Attachment could not be used', error.message);
  }
  if (error instanceof BlobTypeUnknownError) {
    return make(422, 'attachment-type-unknown', 'Unknown attachment type', error.message);
  }
  if (error instanceof BlobEmptyError) {
    return make(
      422,
      'empty-upload',
      'Empty upload',
      "The upload holds no bytes, and nothing was stored: send the file's bytes as the body with their Content-Type, as a multipart file part with a filename, or as non-empty inline content",
    );
  }
  if (error instanceof NeedsKeyError) {
    return make(
      422,
      'model-needs-key',
      'The model has no API key',
      `${error.message}, then restart the server.`,
    );
  }
  if (error instanceof MalformedMultipartError) {
    return make(400, 'malformed-multipart', 'Malformed multipart body', error.message);
  }
  if (error instanceof TooManyFilesError) {
    return make(
      400,
      'too-many-files',
      'Too many files',
      `${error.message}: send ${error.maxFiles === 1 ? 'one file part' : `at most ${error.maxFiles} file parts`}`,
    );
  }
  if (error instanceof MultipartFieldTooLargeError) {
    return make(
      413,
      'field-too-large',
      'Form field too large',
      `${error.message}: send long text as a file part instead`,
      [{ path: error.field, message: 'longer than 1 MiB' }],
    );
  }
  if (error instanceof InvalidJsonlError) {
    return make(422, 'invalid-jsonl', 'Invalid JSONL', error.message, [
      { path: `line ${error.line}`, message: 'not valid JSON' },
    ]);
  }
  if (error instanceof BatchItemsError) {
    return make(
      422,
      'invalid-batch-items',
      'Invalid batch items',
      `${error.message}; nothing was created`,
      error.problems.map((problem) => ({ path: problem.path, message: problem.message })),
    );
  }
  if (error instanceof InvalidRequestError) {
    return make(422, 'invalid-request', 'Invalid request', error.message);
  }
  if (error instanceof PayloadTooLargeError) {
    return make(413, 'payload-too-large', 'Payload too large', error.message);
  }
  if (error instanceof NotFoundError) {
    return make(404, `${error.kind}-not-found`, 'Not found', error.message);
  }
  if (error instanceof BlobNotFoundError) {
    return make(404, 'attachment-not-found', 'Not found', error.message);
  }
  if (error instanceof BlobRangeError) {
    return make(
      416,
      'range-not-satisfiable',
      'Range not satisfiable',
      `${error.message}; ask for bytes between 0 and ${error.size - 1}`,
    );
  }
  if (error instanceof ConflictError) {
    return make(409, 'conflict', 'Conflict', error.message);
  }
  if (error instanceof HTTPException) {
    if (error.status === 400) {
      return make(
        400,
        'malformed-request',
        'Malformed request',
        `${error.message}: send a valid JSON body with Content-Type: application/json`,
      );
    }
    return make(
      error.status,
      'http-error',
      'Request error',
      error.message || 'The request could not be handled',
    );
  }
  const unavailable = error instanceof RedisDownError ? 'redis' : unavailableService(error);
  if (unavailable) {
    const what = unavailable === 'database' ? 'The database' : 'Redis';
    return make(
      503,
      'service-unavailable',
      'Service unavailable',
      `${what} is not reachable right now; try again shortly`,
    );
  }
  return undefined;
}

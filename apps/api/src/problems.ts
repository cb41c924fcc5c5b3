import {
  type Problem,
  type ProblemDefinition,
  problemCatalogue,
  problemContentType,
  problemType,
} from '@llmq/contracts';
import {
  AttachmentError,
  AttachmentTypeError,
  type FailureTraits,
  LlmqError,
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
  type ResourceKind,
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

const problems = problemCatalogue;

/** Each kind of resource's 404, so a new kind of resource cannot go without one. */
const notFound = {
  prompt: problems.promptNotFound,
  attachment: problems.attachmentNotFound,
  conversation: problems.conversationNotFound,
  batch: problems.batchNotFound,
  key: problems.keyNotFound,
} as const satisfies Record<ResourceKind, ProblemDefinition>;

/** An error the API answers with a given problem, raised by route code. */
export class ProblemError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'problem',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'ProblemError';
  readonly problem: Problem;

  constructor(definition: ProblemDefinition, detail: string, errors?: Problem['errors']) {
    // A 5xx problem is the server's (a console not built, an internal error), not the request's.
    super(detail, { blame: definition.status >= 500 ? 'service' : 'request' });
    this.problem = problemOf(definition, detail, errors);
  }
}

/** The body of one occurrence of a catalogued problem: the catalogue's words, this detail. */
export function problemOf(
  definition: ProblemDefinition,
  detail: string,
  errors?: Problem['errors'],
): Problem {
  return {
    type: problemType(definition.slug),
    title: definition.title,
    status: definition.status,
    detail,
    ...(errors ? { errors } : {}),
  };
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
  if (error instanceof ProblemError) return error.problem;
  if (error instanceof UnknownModelError) {
    return problemOf(
      problems.unknownModel,
      `${error.message}. GET /v1/models lists the models this server has.`,
    );
  }
  if (error instanceof OptionsError) {
    return problemOf(
      problems.invalidOptions,
      `${error.message}. GET /v1/models shows each model's options.`,
      error.issues.map((issue) => ({
        path: `options.${issue.path}`.replace(/\.$/, ''),
        message: issue.message,
      })),
    );
  }
  if (error instanceof AttachmentTypeError) {
    const accepted = error.accepted.length > 0 ? ` It accepts: ${error.accepted.join(', ')}.` : '';
    return problemOf(problems.unsupportedAttachmentType, `${error.message}.${accepted}`);
  }
  if (error instanceof AttachmentNotFoundError) {
    // The same type as a missing attachment's 404, answered 422 (with its own title) because
    // here the request body names it; clients already match this pair, so it stays.
    return {
      ...problemOf(problems.attachmentNotFound, error.message),
      status: 422,
      title: 'Unknown attachment',
    };
  }
  if (error instanceof AttachmentError) {
    return problemOf(problems.attachmentUnreadable, error.message);
  }
  if (error instanceof BlobTypeUnknownError) {
    return problemOf(problems.attachmentTypeUnknown, error.message);
  }
  if (error instanceof BlobEmptyError) {
    return problemOf(
      problems.emptyUpload,
      "The upload holds no bytes, and nothing was stored: send the file's bytes as the body with their Content-Type, as a multipart file part with a filename, or as non-empty inline content",
    );
  }
  if (error instanceof NeedsKeyError) {
    return problemOf(problems.modelNeedsKey, `${error.message}, then restart the server.`);
  }
  if (error instanceof MalformedMultipartError) {
    return problemOf(problems.malformedMultipart, error.message);
  }
  if (error instanceof TooManyFilesError) {
    return problemOf(
      problems.tooManyFiles,
      `${error.message}: send ${error.maxFiles === 1 ? 'one file part' : `at most ${error.maxFiles} file parts`}`,
    );
  }
  if (error instanceof MultipartFieldTooLargeError) {
    return problemOf(
      problems.fieldTooLarge,
      `${error.message}: send long text as a file part instead`,
      [{ path: error.field, message: 'longer than 1 MiB' }],
    );
  }
  if (error instanceof InvalidJsonlError) {
    return problemOf(problems.invalidJsonl, error.message, [
      { path: `line ${error.line}`, message: 'not valid JSON' },
    ]);
  }
  if (error instanceof BatchItemsError) {
    return problemOf(
      problems.invalidBatchItems,
      `${error.message}; nothing was created`,
      error.problems.map((problem) => ({ path: problem.path, message: problem.message })),
    );
  }
  if (error instanceof InvalidRequestError) {
    return problemOf(problems.invalidRequest, error.message);
  }
  if (error instanceof PayloadTooLargeError) {
    return problemOf(problems.payloadTooLarge, error.message);
  }
  if (error instanceof NotFoundError) {
    return problemOf(notFound[error.kind], error.message);
  }
  if (error instanceof BlobNotFoundError) {
    return problemOf(problems.attachmentNotFound, error.message);
  }
  if (error instanceof BlobRangeError) {
    return problemOf(
      problems.rangeNotSatisfiable,
      `${error.message}; ask for bytes between 0 and ${error.size - 1}`,
    );
  }
  if (error instanceof ConflictError) {
    return problemOf(problems.conflict, error.message);
  }
  if (error instanceof HTTPException) {
    if (error.status === 400) {
      return problemOf(
        problems.malformedRequest,
        `${error.message}: send a valid JSON body with Content-Type: application/json`,
      );
    }
    // Hono's own status stands: the catalogue cannot know which one Hono raised.
    return {
      ...problemOf(problems.httpError, error.message || 'The request could not be handled'),
      status: error.status,
    };
  }
  const unavailable = error instanceof RedisDownError ? 'redis' : unavailableService(error);
  if (unavailable) {
    const what = unavailable === 'database' ? 'The database' : 'Redis';
    return problemOf(
      problems.serviceUnavailable,
      `${what} is not reachable right now; try again shortly`,
    );
  }
  return undefined;
}

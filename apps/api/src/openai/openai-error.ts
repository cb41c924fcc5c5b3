import { problemSlug } from '@llmq/contracts';
import { type FailureTraits, LlmqError, OptionsError, UnknownModelError } from '@llmq/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { retryAfterOf } from '../problems/limit-problems.ts';
import { problemFor, retryAfterSeconds } from '../problems/problems.ts';

/** OpenAI's error body: what the official SDKs turn into typed errors. */
export interface OpenAIErrorBody {
  readonly message: string;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** An error the facade answers in OpenAI's shape, raised by its routes. */
export class OpenAIRequestError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'openai-request-refused',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'OpenAIRequestError';
  readonly status: number;
  readonly param: string | null;
  /** OpenAI's error code for the body (`code` is the failure taxonomy's, as for every error). */
  readonly openAICode: string | null;

  constructor(
    status: number,
    message: string,
    param: string | null = null,
    openAICode: string | null = null,
  ) {
    // A 5xx is the server's: its backing services or its configuration.
    super(message, { blame: status >= 500 ? 'service' : 'request' });
    this.status = status;
    this.param = param;
    this.openAICode = openAICode;
  }
}

/** OpenAI's error type for a status. */
function errorType(status: number): string {
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/**
 * Any error as OpenAI would answer it: the facade's own errors as raised, everything else
 * through the API's one problem mapping, so a status and its message mean the same on both
 * faces. OpenAI answers validation errors with 400, where llmq's own API says 422.
 */
export function openAIErrorFor(
  error: unknown,
): { status: number; body: OpenAIErrorBody; retryAfter?: number | undefined } | undefined {
  if (error instanceof OpenAIRequestError) {
    return {
      status: error.status,
      body: {
        message: error.message,
        type: errorType(error.status),
        param: error.param,
        code: error.openAICode,
      },
    };
  }
  if (error instanceof UnknownModelError) {
    return {
      status: 404,
      body: {
        message: `${error.message}; GET /openai/v1/models lists the models this server has`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      },
    };
  }
  if (error instanceof OptionsError) {
    // The model's options are top-level fields of an OpenAI request.
    return {
      status: 400,
      body: {
        message: error.message,
        type: 'invalid_request_error',
        param: error.issues[0]?.path || null,
        code: 'invalid_option',
      },
    };
  }
  const problem = problemFor(error);
  if (!problem) return undefined;
  // A spent budget is OpenAI's 429 insufficient_quota; a reached limit its rate_limit_exceeded.
  const status = problem.status === 422 ? 400 : problem.status === 402 ? 429 : problem.status;
  const slug = problemSlug(problem.type);
  const limitCode = problem.limit
    ? problem.limit.name === 'budget'
      ? 'insufficient_quota'
      : 'rate_limit_exceeded'
    : undefined;
  const issues = problem.errors?.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  return {
    status,
    body: {
      message:
        issues && !problem.detail.includes(issues)
          ? `${problem.detail} (${issues})`
          : problem.detail,
      type: limitCode === 'insufficient_quota' ? limitCode : errorType(status),
      param: problem.errors?.[0]?.path ?? null,
      code: limitCode ?? slug.replaceAll('-', '_'),
    },
    retryAfter: retryAfterOf(problem),
  };
}

/** Send an OpenAI-shaped error. A 5xx is not retried by the SDK when retrying cannot help. */
export function sendOpenAIError(
  c: Context,
  status: number,
  body: OpenAIErrorBody,
  retryAfter?: number,
): Response {
  return c.body(JSON.stringify({ error: body }), status as ContentfulStatusCode, {
    'content-type': 'application/json',
    // The SDKs wait this long before they retry.
    ...(status === 503 ? { 'retry-after': String(retryAfterSeconds) } : {}),
    ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    // A spent budget does not come back by waiting seconds: the SDKs would retry a 429 twice.
    ...(body.code === 'insufficient_quota' ? { 'x-should-retry': 'false' } : {}),
  });
}

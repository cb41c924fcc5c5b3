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
  SchemaNotSupportedError,
  ToolDefinitionError,
  ToolsNotSupportedError,
  UnknownModelError,
  UnknownToolError,
} from '@llmq/core';
import {
  AttachmentNotFoundError,
  BatchItemsError,
  BlockedAddressError,
  BudgetExceededError,
  ConflictError,
  InvalidRequestError,
  InvalidSchemaError,
  InvalidToolResultsError,
  LimitExceededError,
  ModelNotAllowedError,
  ModelUnavailableError,
  NotFoundError,
  PayloadTooLargeError,
  type ResourceKind,
  SecretKeyMissingError,
  UnknownSchemaError,
  UnreachableUrlError,
  unavailableService,
  WebhookUrlError,
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
import { RedisDownError } from '../server/require-redis.ts';
import { InvalidJsonlError } from '../uploads/jsonl-items.ts';
import {
  MalformedMultipartError,
  MultipartFieldTooLargeError,
  TooManyFilesError,
} from '../uploads/multipart-files.ts';
import {
  budgetProblem,
  limitProblem,
  modelNotAllowedProblem,
  retryAfterOf,
} from './limit-problems.ts';

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
  schema: problems.schemaNotFound,
  'provider key': problems.providerKeyNotFound,
  owner: problems.ownerNotFound,
  'webhook delivery': problems.webhookDeliveryNotFound,
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
  const retryAfter = problem.status === 503 ? retryAfterSeconds : retryAfterOf(problem);
  return c.body(
    JSON.stringify({ ...problem, instance: c.req.path }),
    problem.status as ContentfulStatusCode,
    {
      'content-type': problemContentType,
      ...(retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) }),
    },
  );
}

/** One error class's answer; undefined leaves it to the outage check, then the 500. */
type Answer = (error: LlmqError) => Problem | undefined;

/** An error class with its traits, as `LlmqError`'s subclasses are. */
interface ErrorClass<E extends LlmqError> {
  readonly failure: FailureTraits;
  readonly prototype: E;
}

function answer<E extends LlmqError>(
  errorClass: ErrorClass<E>,
  problem: (error: E) => Problem | undefined,
): readonly [string, Answer] {
  return [errorClass.failure.code, (error) => problem(error as E)];
}

function unreachable(service: 'database' | 'redis'): Problem {
  const what = service === 'database' ? 'The database' : 'Redis';
  return problemOf(
    problems.serviceUnavailable,
    `${what} is not reachable right now; try again shortly`,
  );
}

/**
 * The answer to each error code that reaches the edge. A class whose traits say `edge: 'http'`
 * has an entry here, or is blamed on a backing service and answered by the outage check below
 * (a test walks every exported error class and checks one or the other).
 */
export const problemByCode: ReadonlyMap<string, Answer> = new Map([
  answer(ProblemError, (error) => error.problem),
  answer(UnknownModelError, (error) =>
    problemOf(
      problems.unknownModel,
      `${error.message}. GET /v1/models lists the models this server has.`,
    ),
  ),
  answer(OptionsError, (error) =>
    problemOf(
      problems.invalidOptions,
      `${error.message}. GET /v1/models shows each model's options.`,
      error.issues.map((issue) => ({
        path: `options.${issue.path}`.replace(/\.$/, ''),
        message: issue.message,
      })),
    ),
  ),
  answer(SchemaNotSupportedError, (error) =>
    problemOf(
      problems.schemaNotSupported,
      error.supportingModels.length > 0
        ? `${error.message}. Use one of those, or send the prompt without a schema; GET /v1/models shows supports_schema.`
        : `${error.message}, and no model on this server does: send the prompt without a schema.`,
      [{ path: 'schema', message: `${error.model} does not support schemas` }],
    ),
  ),
  answer(ToolsNotSupportedError, (error) =>
    problemOf(
      problems.toolsNotSupported,
      `${error.message}: use a model with supports_tools (GET /v1/models), or send the prompt without tools`,
      [{ path: 'tools', message: `${error.model} does not support tools` }],
    ),
  ),
  answer(UnknownToolError, (error) =>
    problemOf(
      problems.unknownTool,
      `${error.message}. GET /v1/tools lists the tools this server runs; a tool your client answers is given as {name, description, input_schema}.`,
      [{ path: 'tools', message: `no tool ${error.tool}` }],
    ),
  ),
  answer(ToolDefinitionError, (error) =>
    problemOf(problems.invalidToolDefinition, error.message, [
      { path: 'tools', message: error.message },
    ]),
  ),
  answer(InvalidToolResultsError, (error) =>
    problemOf(problems.invalidToolResults, error.message, [
      { path: 'tool_results', message: error.message },
    ]),
  ),
  answer(InvalidSchemaError, (error) =>
    problemOf(problems.invalidSchema, error.message, [{ path: 'schema', message: error.message }]),
  ),
  answer(UnknownSchemaError, (error) =>
    problemOf(problems.unknownSchema, error.message, [
      { path: 'schema', message: `no stored schema ${error.id}` },
    ]),
  ),
  answer(AttachmentTypeError, (error) => {
    const accepted = error.accepted.length > 0 ? ` It accepts: ${error.accepted.join(', ')}.` : '';
    return problemOf(problems.unsupportedAttachmentType, `${error.message}.${accepted}`);
  }),
  // The same type as a missing attachment's 404, answered 422 (with its own title) because
  // here the request body names it; clients already match this pair, so it stays.
  answer(AttachmentNotFoundError, (error) => ({
    ...problemOf(problems.attachmentNotFound, error.message),
    status: 422,
    title: 'Unknown attachment',
  })),
  answer(AttachmentError, (error) => problemOf(problems.attachmentUnreadable, error.message)),
  answer(BlockedAddressError, (error) => problemOf(problems.attachmentUnreadable, error.message)),
  answer(UnreachableUrlError, (error) => problemOf(problems.attachmentUnreadable, error.message)),
  answer(BlobTypeUnknownError, (error) => problemOf(problems.attachmentTypeUnknown, error.message)),
  answer(BlobEmptyError, () =>
    problemOf(
      problems.emptyUpload,
      "The upload holds no bytes, and nothing was stored: send the file's bytes as the body with their Content-Type, as a multipart file part with a filename, or as non-empty inline content",
    ),
  ),
  answer(NeedsKeyError, (error) => problemOf(problems.modelNeedsKey, error.message)),
  answer(ModelUnavailableError, (error) =>
    problemOf(
      problems.modelUnavailable,
      `${error.message}. Nothing was queued; GET /v1/models shows which models are available.`,
      [{ path: 'model', message: `${error.model} has no ${error.keyName} key on the server` }],
    ),
  ),
  answer(SecretKeyMissingError, (error) => problemOf(problems.secretKeyMissing, error.message)),
  answer(MalformedMultipartError, (error) => problemOf(problems.malformedMultipart, error.message)),
  answer(TooManyFilesError, (error) =>
    problemOf(
      problems.tooManyFiles,
      `${error.message}: send ${error.maxFiles === 1 ? 'one file part' : `at most ${error.maxFiles} file parts`}`,
    ),
  ),
  answer(MultipartFieldTooLargeError, (error) =>
    problemOf(problems.fieldTooLarge, `${error.message}: send long text as a file part instead`, [
      { path: error.field, message: 'longer than 1 MiB' },
    ]),
  ),
  answer(InvalidJsonlError, (error) =>
    problemOf(problems.invalidJsonl, error.message, [
      { path: `line ${error.line}`, message: 'not valid JSON' },
    ]),
  ),
  answer(BatchItemsError, (error) =>
    problemOf(
      problems.invalidBatchItems,
      `${error.message}; nothing was created`,
      error.problems.map((problem) => ({ path: problem.path, message: problem.message })),
    ),
  ),
  answer(InvalidRequestError, (error) => problemOf(problems.invalidRequest, error.message)),
  answer(PayloadTooLargeError, (error) => problemOf(problems.payloadTooLarge, error.message)),
  answer(NotFoundError, (error) => problemOf(notFound[error.kind], error.message)),
  answer(BlobNotFoundError, (error) => problemOf(problems.attachmentNotFound, error.message)),
  answer(BlobRangeError, (error) =>
    problemOf(
      problems.rangeNotSatisfiable,
      `${error.message}; ask for bytes between 0 and ${error.size - 1}`,
    ),
  ),
  answer(ConflictError, (error) => problemOf(problems.conflict, error.message)),
  answer(RedisDownError, () => unreachable('redis')),
  answer(ModelNotAllowedError, modelNotAllowedProblem),
  answer(BudgetExceededError, budgetProblem),
  answer(LimitExceededError, limitProblem),
  answer(WebhookUrlError, (error) =>
    problemOf(problems.webhookUrlRefused, error.message, [
      { path: 'webhook_url', message: error.message },
    ]),
  ),
]);

/**
 * The one place errors become HTTP: an llmq error by its code (each has its status and a
 * problem body that says what was wrong and how to fix it), Hono's own errors, and a backing
 * service's outage found in the causes (503). Anything else is a 500 (and logged).
 */
export function problemFor(error: unknown): Problem | undefined {
  if (error instanceof LlmqError) {
    const problem = problemByCode.get(error.code)?.(error);
    if (problem) return problem;
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
  const unavailable = unavailableService(error);
  return unavailable ? unreachable(unavailable) : undefined;
}

/** What every kind of problem the API answers is: its slug, HTTP status and stable title. */
export interface ProblemDefinition {
  /** The last part of the problem's `type` URN: stable, clients may match on it. */
  readonly slug: string;
  readonly status: number;
  /** RFC 9457's title: the same for every occurrence of the kind, unlike the detail. */
  readonly title: string;
}

/**
 * Every kind of problem the API answers, defined once: route code and the error mapping name
 * an entry here instead of writing out a slug, a status and a title each time.
 */
export const problemCatalogue = {
  // The request itself: its body, media type, size or fields.
  malformedRequest: { slug: 'malformed-request', status: 400, title: 'Malformed request' },
  malformedMultipart: {
    slug: 'malformed-multipart',
    status: 400,
    title: 'Malformed multipart body',
  },
  tooManyFiles: { slug: 'too-many-files', status: 400, title: 'Too many files' },
  badEventId: { slug: 'bad-event-id', status: 400, title: 'Bad event id' },
  payloadTooLarge: { slug: 'payload-too-large', status: 413, title: 'Payload too large' },
  fieldTooLarge: { slug: 'field-too-large', status: 413, title: 'Form field too large' },
  unsupportedMediaType: {
    slug: 'unsupported-media-type',
    status: 415,
    title: 'Unsupported media type',
  },
  validationFailed: { slug: 'validation-failed', status: 422, title: 'Invalid request' },
  invalidRequest: { slug: 'invalid-request', status: 422, title: 'Invalid request' },
  invalidJsonl: { slug: 'invalid-jsonl', status: 422, title: 'Invalid JSONL' },
  invalidBatchItems: { slug: 'invalid-batch-items', status: 422, title: 'Invalid batch items' },
  noFile: { slug: 'no-file', status: 422, title: 'No file' },
  noFiles: { slug: 'no-files', status: 422, title: 'No files' },
  emptyUpload: { slug: 'empty-upload', status: 422, title: 'Empty upload' },
  // Who is asking.
  unauthorized: { slug: 'unauthorized', status: 401, title: 'Unauthorized' },
  forbidden: { slug: 'forbidden', status: 403, title: 'Forbidden' },
  // Models, their options and attachments.
  unknownModel: { slug: 'unknown-model', status: 404, title: 'Unknown model' },
  invalidOptions: { slug: 'invalid-options', status: 422, title: 'Invalid options' },
  modelNeedsKey: { slug: 'model-needs-key', status: 422, title: 'The model has no API key' },
  modelUnavailable: { slug: 'model-unavailable', status: 422, title: 'Model unavailable' },
  unsupportedAttachmentType: {
    slug: 'unsupported-attachment-type',
    status: 422,
    title: 'Unsupported attachment type',
  },
  attachmentTypeUnknown: {
    slug: 'attachment-type-unknown',
    status: 422,
    title: 'Unknown attachment type',
  },
  attachmentUnreadable: {
    slug: 'attachment-unreadable',
    status: 422,
    title: 'Attachment could not be used',
  },
  // Schemas: the answer as data.
  schemaNotSupported: {
    slug: 'schema-not-supported',
    status: 422,
    title: 'The model does not support schemas',
  },
  invalidSchema: { slug: 'invalid-schema', status: 422, title: 'Invalid schema' },
  unknownSchema: { slug: 'unknown-schema', status: 422, title: 'Unknown schema' },
  toolsNotSupported: {
    slug: 'tools-not-supported',
    status: 422,
    title: 'The model does not support tools',
  },
  invalidToolDefinition: {
    slug: 'invalid-tool-definition',
    status: 422,
    title: 'Invalid tool definition',
  },
  unknownTool: { slug: 'unknown-tool', status: 422, title: 'Unknown tool' },
  invalidToolResults: { slug: 'invalid-tool-results', status: 422, title: 'Invalid tool results' },
  // Resources that do not exist (for this caller), or not in a usable state.
  routeNotFound: { slug: 'route-not-found', status: 404, title: 'Not found' },
  promptNotFound: { slug: 'prompt-not-found', status: 404, title: 'Not found' },
  attachmentNotFound: { slug: 'attachment-not-found', status: 404, title: 'Not found' },
  conversationNotFound: { slug: 'conversation-not-found', status: 404, title: 'Not found' },
  batchNotFound: { slug: 'batch-not-found', status: 404, title: 'Not found' },
  keyNotFound: { slug: 'key-not-found', status: 404, title: 'Not found' },
  schemaNotFound: { slug: 'schema-not-found', status: 404, title: 'Not found' },
  providerKeyNotFound: { slug: 'provider-key-not-found', status: 404, title: 'Not found' },
  conflict: { slug: 'conflict', status: 409, title: 'Conflict' },
  // The server's configuration: lasting until an operator changes it (so not a 503 to retry).
  secretKeyMissing: {
    slug: 'secret-key-missing',
    status: 409,
    title: 'No secret to encrypt provider keys with',
  },
  rangeNotSatisfiable: {
    slug: 'range-not-satisfiable',
    status: 416,
    title: 'Range not satisfiable',
  },
  /** Any other HTTP error Hono raises; the answer keeps Hono's status, this is the usual one. */
  httpError: { slug: 'http-error', status: 400, title: 'Request error' },
  // The server.
  internalError: { slug: 'internal-error', status: 500, title: 'Internal error' },
  streamingUnavailable: {
    slug: 'streaming-unavailable',
    status: 501,
    title: 'Streaming unavailable',
  },
  serviceUnavailable: { slug: 'service-unavailable', status: 503, title: 'Service unavailable' },
  webConsoleNotBuilt: {
    slug: 'web-console-not-built',
    status: 503,
    title: 'Web console not built',
  },
  ownerNotFound: { slug: 'owner-not-found', status: 404, title: 'Not found' },
  webhookUrlRefused: { slug: 'webhook-url-refused', status: 422, title: 'Webhook URL refused' },
  webhookDeliveryNotFound: { slug: 'webhook-delivery-not-found', status: 404, title: 'Not found' },
  // Budgets and per-key and per-owner limits (issue #25).
  modelNotAllowed: {
    slug: 'model-not-allowed',
    status: 403,
    title: 'Model not allowed for this key',
  },
  budgetExceeded: { slug: 'budget-exceeded', status: 402, title: 'Budget spent' },
  limitExceeded: { slug: 'limit-exceeded', status: 429, title: 'Limit reached' },
} as const satisfies Record<string, ProblemDefinition>;
export type ProblemName = keyof typeof problemCatalogue;

const typePrefix = 'urn:llmq:problem:';

/** The `type` URI of a problem: a URN, since the slugs name kinds, not documents to fetch. */
export function problemType(slug: string): string {
  return `${typePrefix}${slug}`;
}

/** The slug of a problem's `type`, or the whole type when it is not one of llmq's. */
export function problemSlug(type: string): string {
  return type.startsWith(typePrefix) ? type.slice(typePrefix.length) : type;
}

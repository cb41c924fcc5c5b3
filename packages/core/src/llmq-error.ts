/**
 * The one failure taxonomy: every error class of every llmq package extends `LlmqError` and
 * states, once, what its errors are. The worker's settlement and the HTTP edge read these
 * traits instead of keeping lists of error names of their own.
 */

/**
 * Who is to blame for a failure: the request (its input, or the user who cancelled it), the
 * model or its provider, or a backing service or the deployment's own configuration.
 */
export type Blame = 'request' | 'provider' | 'service';

/** What every error of one class is; each class states its own (a test checks it does). */
export interface FailureTraits {
  /** Stable and unique per class, e.g. `unknown-model`; the HTTP edge maps by it. */
  readonly code: string;
  readonly blame: Blame;
  /** Whether another attempt may succeed; an error may say otherwise for itself. */
  readonly retryable: boolean;
  /**
   * `http`: a request can fail with it, so the api must answer it (a test checks it does);
   * `never`: it belongs to a worker, a start-up or a client, and no HTTP answer is made of it.
   */
  readonly edge: 'http' | 'never';
}

/** A failure's traits as one error has them (its class's, or its own where it says). */
export interface Failure {
  readonly code: string;
  readonly blame: Blame;
  readonly retryable: boolean;
}

export interface LlmqErrorOptions extends ErrorOptions {
  /** This error's own verdict where its class cannot know (a provider's status says). */
  readonly retryable?: boolean | undefined;
  readonly blame?: Blame | undefined;
}

/**
 * Marks llmq's errors across copies of this package: a plugin that bundles its own
 * `@llmq/core` throws errors that are not `instanceof` this copy's classes, and they must not
 * be taken for someone else's failure.
 */
const failureMark: unique symbol = Symbol.for('@llmq/core:failure');

export class LlmqError extends Error {
  /** The base's own traits, for an error raised as `LlmqError` itself. */
  static readonly failure: FailureTraits = {
    code: 'llmq-error',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };

  readonly code: string;
  readonly blame: Blame;
  readonly retryable: boolean;

  constructor(message?: string, options?: LlmqErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    const traits = (new.target as typeof LlmqError).failure;
    this.code = traits.code;
    this.blame = options?.blame ?? traits.blame;
    this.retryable = options?.retryable ?? traits.retryable;
  }

  get [failureMark](): true {
    return true;
  }
}

/** The failure traits of an llmq error (of this copy of core or another), else undefined. */
export function failureOf(error: unknown): Failure | undefined {
  if (error instanceof LlmqError) return error;
  if (typeof error === 'object' && error !== null && failureMark in error) {
    return error as unknown as Failure;
  }
  return undefined;
}

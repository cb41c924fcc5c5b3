import type { Problem } from '@llmq/contracts';

/** A 4xx or 5xx answer: the server's problem details, one line in `message`. */
export class LlmqApiError extends Error {
  override readonly name = 'LlmqApiError';
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem ? problem.detail : fallback);
    this.status = status;
    this.problem = problem;
  }
}

/** The server could not be reached at all. */
export class LlmqConnectionError extends Error {
  override readonly name = 'LlmqConnectionError';
  readonly url: string;

  constructor(url: string, cause: unknown) {
    super(
      `Could not reach the llmq server at ${url}: ${cause instanceof Error ? (cause.cause instanceof Error ? cause.cause.message : cause.message) : String(cause)}`,
      { cause },
    );
    this.url = url;
  }
}

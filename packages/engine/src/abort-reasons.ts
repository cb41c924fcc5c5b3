/** Why a running job's signal fired: a user cancelled the prompt. */
export class PromptCancelledError extends Error {
  override readonly name = 'PromptCancelledError';

  constructor(promptId: string) {
    super(`Prompt ${promptId} was cancelled`);
  }
}

/** Why a running job's signal fired: its worker is shutting down and hands the job back. */
export class WorkerShutdownError extends Error {
  override readonly name = 'WorkerShutdownError';

  constructor() {
    super('The worker is shutting down; the job goes back to the queue');
  }
}

/** Why a running job's signal fired: it ran past its model's time limit. */
export class PromptTimeoutError extends Error {
  override readonly name = 'PromptTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The model did not finish within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

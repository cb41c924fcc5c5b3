/** How an attempt ended, as metrics count it. */
export type AttemptOutcome =
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'skipped'
  | 'retrying'
  | 'handed_back';

/**
 * What a worker reports about the attempts it runs, for metrics. The engine knows nothing of
 * Prometheus; an app passes an observer that records what it is told.
 */
export interface JobObserver {
  /** An attempt began, `waitMs` after its job was queued (unknown for a retry). */
  started(model: string, waitMs: number | undefined): void;
  /** The attempt's first text arrived `afterMs` after it began. */
  firstChunk(model: string, afterMs: number): void;
  /** A job came whose prompt this service's database does not have (it fails for good). */
  promptMissing(): void;
  /** The attempt ended; tokens as the model reported them (null when it did not). */
  ended(
    model: string,
    outcome: AttemptOutcome,
    durationMs: number,
    usage: { input: number | null; output: number | null } | undefined,
  ): void;
}

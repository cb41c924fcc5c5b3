/** One run of a prompt job, as its worker starts it. */
export interface PromptRun {
  readonly promptId: string;
  /** Which run of this prompt this is, from 1; a run the row has seen already is skipped. */
  readonly attempt: number;
  /** Whether no retry follows this attempt, so a failure must be recorded as final. */
  readonly finalAttempt: boolean;
  /** Fires on cancel, shutdown or timeout, with the reason. */
  readonly signal: AbortSignal;
  /** When the job was queued (epoch ms), for the wait it reports; unknown for retries. */
  readonly queuedAt?: number | undefined;
}

export type PromptRunOutcome = 'succeeded' | 'failed' | 'cancelled' | 'skipped';

import type { Logger } from 'pino';
import type { BackingService } from './job-outage.ts';

/** The first wait of a job that met an outage; it grows with the outage, up to the cap. */
const firstRetryMs = 1_000;
const longestRetryMs = 10_000;

/**
 * Says in the log once when a backing service stops answering the worker's jobs, and once when
 * a job gets through again, rather than once per waiting job; and says how long a job waits
 * before it tries again: a second at first, then a quarter of the outage so far (at most ten
 * seconds), so a long outage is not polled by every waiting job every second.
 */
export class OutageReporter {
  readonly #logger: Logger;
  readonly #since = new Map<BackingService, number>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Record that a job met the outage; returns how long it should wait, in milliseconds. */
  lost(service: BackingService, error: unknown): number {
    const now = Date.now();
    const since = this.#since.get(service);
    if (since === undefined) {
      this.#since.set(service, now);
      this.#logger.warn(
        { service, err: error },
        `${service} unreachable: jobs wait and run again when it is back, spending no attempt`,
      );
      return firstRetryMs;
    }
    const wait = Math.min(Math.max(firstRetryMs, (now - since) / 4), longestRetryMs);
    // Jitter, so the jobs that failed together do not all come back together.
    return Math.round(wait * (0.75 + Math.random() / 2));
  }

  recovered(): void {
    const now = Date.now();
    for (const [service, since] of this.#since) {
      this.#logger.info({ service, outageMs: now - since }, `${service} reachable again: jobs run`);
    }
    this.#since.clear();
  }
}

import type { Logger } from 'pino';
import type { BackingService } from './unavailable-service.ts';

/**
 * An attempt stopped because the database or Redis could not be reached: no fault of the
 * prompt's, so it runs again once they are back, spending none of its attempts.
 */
export class ServiceOutageError extends Error {
  override readonly name = 'ServiceOutageError';
  readonly service: BackingService;

  constructor(service: BackingService, cause: unknown) {
    super(`${service === 'database' ? 'The database' : 'Redis'} is not reachable`, { cause });
    this.service = service;
  }
}

/**
 * Says in the log once when a backing service stops answering the worker's jobs, and once when
 * a job gets through again, rather than once per waiting job.
 */
export class OutageReporter {
  readonly #logger: Logger;
  readonly #down = new Set<BackingService>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  lost(service: BackingService, retryInMs: number, error: unknown): void {
    if (this.#down.has(service)) return;
    this.#down.add(service);
    this.#logger.warn(
      { service, retryInMs, err: error },
      `${service} unreachable: jobs wait and run again when it is back, spending no attempt`,
    );
  }

  recovered(): void {
    for (const service of this.#down) {
      this.#logger.info({ service }, `${service} reachable again: jobs run`);
    }
    this.#down.clear();
  }
}

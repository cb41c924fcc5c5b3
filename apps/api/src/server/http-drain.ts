import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { OpenStreams } from '../streams/open-streams.ts';

export interface DrainOptions {
  /** How long in-flight requests may take to finish before their connections are cut. */
  readonly timeoutMs: number;
  /** The `retry:` hint open event streams end with: EventSource waits this long to reconnect. */
  readonly retryMs: number;
}

/** What a drain did, as logged. */
export interface DrainReport {
  readonly requestsInFlight: number;
  readonly streamsEnded: number;
  readonly requestsCut: number;
  readonly durationMs: number;
}

/**
 * The api's graceful stop of HTTP. Made before the app (whose `/readyz` asks `draining`), then
 * given the server to count its requests. `drain()`: readiness fails at once, the listener
 * closes, idle keep-alive connections are closed (and each one as it becomes idle), resumable
 * event streams end with a reconnection hint, and the other requests get `timeoutMs` to finish
 * before what remains is cut.
 */
export class HttpDrain {
  readonly #logger: Logger;
  readonly #streams: OpenStreams;
  #server: Server | undefined;
  #inFlight = 0;
  #draining = false;
  #settled: (() => void) | undefined;

  constructor(logger: Logger, streams: OpenStreams) {
    this.#logger = logger;
    this.#streams = streams;
  }

  get draining(): boolean {
    return this.#draining;
  }

  watch(server: Server): void {
    this.#server = server;
    server.on('request', (_request, response) => {
      this.#inFlight++;
      response.once('close', () => {
        this.#inFlight--;
        if (!this.#draining) return;
        // Node keeps a connection that went idle during close() until its keep-alive timeout.
        setImmediate(() => server.closeIdleConnections());
        if (this.#inFlight === 0) this.#settled?.();
      });
    });
  }

  async drain(options: DrainOptions): Promise<DrainReport> {
    const started = performance.now();
    this.#draining = true;
    const server = this.#server;
    const requestsInFlight = this.#inFlight;
    const closed = server
      ? new Promise<void>((resolve) => server.close(() => resolve()))
      : Promise.resolve();
    server?.closeIdleConnections();
    this.#logger.info(
      { requestsInFlight, streams: this.#streams.size, timeoutMs: options.timeoutMs },
      'draining http: /readyz answers 503, new connections are refused',
    );
    const streamsEnded = this.#streams.endAll(options.retryMs);
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      new Promise<boolean>((resolve) => {
        this.#settled = () => resolve(true);
        if (this.#inFlight === 0) resolve(true);
      }),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), options.timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    const requestsCut = finished ? 0 : this.#inFlight;
    server?.closeAllConnections();
    await closed;
    const report = {
      requestsInFlight,
      streamsEnded,
      requestsCut,
      durationMs: Math.round(performance.now() - started),
    };
    if (requestsCut > 0) {
      this.#logger.warn(
        { ...report, timeoutMs: options.timeoutMs },
        'http drained: requests still running after the drain timeout were cut (LLMQ_HTTP_DRAIN_MS)',
      );
    } else {
      this.#logger.info(report, 'http drained');
    }
    return report;
  }
}

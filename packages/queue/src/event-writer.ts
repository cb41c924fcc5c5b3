import type { PromptEvent } from '@llmq/contracts';
import type { EventLog } from './event-log.ts';

/**
 * Writes one job's events in order, coalescing text chunks that arrive within `coalesceMs`
 * into one `chunk` entry (a round trip per few milliseconds instead of per token). Any other
 * event first flushes the pending text. A failed append is raised by the next `event()` or
 * `flush()`, so the job fails and is retried rather than leaving a silent gap.
 */
export class EventWriter {
  readonly #log: EventLog;
  readonly #jobId: string;
  readonly #coalesceMs: number;
  #pendingText = '';
  #timer: NodeJS.Timeout | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: unknown;

  constructor(log: EventLog, jobId: string, coalesceMs: number) {
    this.#log = log;
    this.#jobId = jobId;
    this.#coalesceMs = coalesceMs;
  }

  /** Queue text; it is appended within `coalesceMs`. */
  chunk(text: string): void {
    if (!text) return;
    this.#pendingText += text;
    if (this.#coalesceMs <= 0) {
      this.#appendPending();
    } else {
      this.#timer ??= setTimeout(() => this.#appendPending(), this.#coalesceMs);
    }
  }

  /** Append an event after any pending text; resolves with its entry id (null if closed). */
  async event(event: PromptEvent): Promise<string | null> {
    this.#appendPending();
    const appended = this.#enqueue(() => this.#log.append(this.#jobId, event));
    await this.flush();
    return appended;
  }

  /** Wait until everything queued is appended; raises an append failure. */
  async flush(): Promise<void> {
    this.#appendPending();
    await this.#tail;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Drop pending text and stop the timer (the attempt is over). */
  discard(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pendingText = '';
  }

  #appendPending(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#pendingText) return;
    const text = this.#pendingText;
    this.#pendingText = '';
    void this.#enqueue(() => this.#log.append(this.#jobId, { type: 'chunk', text }));
  }

  #enqueue<T>(append: () => Promise<T>): Promise<T | null> {
    const next = this.#tail.then(async () => {
      if (this.#failure !== undefined) return null;
      try {
        return await append();
      } catch (error) {
        this.#failure = error;
        return null;
      }
    });
    this.#tail = next;
    return next;
  }
}

import type { PromptEvent } from '@llmq/contracts';
import type { EventLog } from './event-log.ts';
import { EventLogLostError } from './event-log-errors.ts';

/**
 * Writes one job's events in order, gathering what arrives within `coalesceMs` (after the
 * first text or reasoning, which goes at the end of the event loop's turn it came in, so an
 * answer a model gives in one go is one append) into one round trip: consecutive text chunks are
 * merged into one `chunk` entry and consecutive reasoning into one `reasoning` entry, and other
 * events (status, restart) ride along as entries of their own. `event()` sends everything pending and waits
 * for it. A failed append is raised by the next `event()` or `flush()`, so the job fails and is
 * retried rather than leaving a silent gap. When Redis loses the log midway (a restart without
 * persistence), the writer writes it anew: a `restart` and everything this attempt has sent, so
 * a follower is never left with an answer missing its start.
 */
export class EventWriter {
  readonly #log: EventLog;
  readonly #jobId: string;
  readonly #coalesceMs: number;
  #pending: PromptEvent[] = [];
  #timer: NodeJS.Timeout | undefined;
  /** The first text's send, at the end of the turn it came in. */
  #immediate: NodeJS.Immediate | undefined;
  #tail: Promise<unknown> = Promise.resolve();
  #failure: unknown;
  #sentText = false;
  /** What this writer has appended, text merged: what a lost log is written anew from. */
  #written: PromptEvent[] = [];
  readonly #attempt: number;
  /** When this writer's last append set the log's expiry (continuing appends then skip it). */
  #expirySetAt = Number.NEGATIVE_INFINITY;

  /**
   * @param attempt the attempt this writer writes for (0: unfenced); a later attempt's writes
   * to the log make this one's fail with `EventLogSupersededError`
   */
  constructor(log: EventLog, jobId: string, coalesceMs: number, attempt = 0) {
    this.#log = log;
    this.#jobId = jobId;
    this.#coalesceMs = coalesceMs;
    this.#attempt = attempt;
  }

  /**
   * Queue text; it is appended within `coalesceMs`. The first text goes at the end of this turn
   * of the event loop (with whatever is pending before it and whatever text follows it in the
   * same turn): a wait would only add to the time to the first token.
   */
  chunk(text: string): void {
    this.#text('chunk', text);
  }

  /**
   * Queue reasoning, coalesced like text into one `reasoning` entry per run of reasoning; a
   * chunk between two runs keeps them apart, so the log keeps the order the model spoke in.
   */
  reasoning(text: string): void {
    this.#text('reasoning', text);
  }

  #text(type: 'chunk' | 'reasoning', text: string): void {
    if (!text) return;
    const last = this.#pending.at(-1);
    if (last?.type === type) {
      this.#pending[this.#pending.length - 1] = { type, text: last.text + text };
    } else {
      this.#pending.push({ type, text });
    }
    if (this.#sentText || this.#coalesceMs <= 0) {
      this.#schedule();
      return;
    }
    this.#sentText = true;
    this.#stopTimers();
    this.#immediate = setImmediate(() => void this.#sendPending());
  }

  /** Queue an event without waiting; it is appended within `coalesceMs`, in order. */
  queue(event: PromptEvent): void {
    this.#pending.push(event);
    this.#schedule();
  }

  /** Append an event after everything pending and wait for it; its entry id (null if closed). */
  async event(event: PromptEvent): Promise<string | null> {
    this.#pending.push(event);
    const appended = this.#sendPending();
    await this.flush();
    return (await appended)?.at(-1) ?? null;
  }

  /** Wait until everything queued is appended; raises an append failure. */
  async flush(): Promise<void> {
    void this.#sendPending();
    await this.#tail;
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** Drop what is pending, the first text's send included, and stop the timers (the attempt is over). */
  discard(): void {
    this.#stopTimers();
    this.#pending = [];
  }

  #schedule(): void {
    if (this.#coalesceMs <= 0) {
      void this.#sendPending();
    } else if (this.#immediate === undefined) {
      this.#timer ??= setTimeout(() => void this.#sendPending(), this.#coalesceMs);
    }
  }

  #stopTimers(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearImmediate(this.#immediate);
    this.#immediate = undefined;
  }

  #sendPending(): Promise<string[] | null> {
    this.#stopTimers();
    if (this.#pending.length === 0) return Promise.resolve([]);
    const batch = this.#pending;
    this.#pending = [];
    const next = this.#tail.then(async () => {
      if (this.#failure !== undefined) return null;
      try {
        return await this.#append(batch);
      } catch (error) {
        this.#failure = error;
        return null;
      }
    });
    this.#tail = next;
    return next;
  }

  async #append(batch: PromptEvent[]): Promise<string[] | null> {
    const continuing = this.#written.length > 0;
    const now = Date.now();
    const refreshExpiry = now - this.#expirySetAt >= this.#log.expiryRefreshMs;
    try {
      const ids = await this.#log.appendMany(this.#jobId, batch, {
        continuing,
        attempt: this.#attempt,
        refreshExpiry,
      });
      if (refreshExpiry || !continuing) this.#expirySetAt = now;
      this.#remember(batch);
      return ids;
    } catch (error) {
      if (!(error instanceof EventLogLostError)) throw error;
      const replay: PromptEvent[] = [
        { type: 'restart', attempt: Math.max(this.#attempt, 1) },
        ...this.#written.filter((event) => event.type !== 'restart'),
      ];
      this.#written = [];
      this.#remember(replay);
      this.#remember(batch);
      const ids = await this.#log.appendMany(this.#jobId, [...replay, ...batch], {
        attempt: this.#attempt,
      });
      this.#expirySetAt = Date.now();
      // The caller asked for its own events' ids: the replay's come first.
      return ids ? ids.slice(replay.length) : null;
    }
  }

  #remember(events: readonly PromptEvent[]): void {
    for (const event of events) {
      const last = this.#written.at(-1);
      if (event.type === 'chunk' && last?.type === 'chunk') {
        this.#written[this.#written.length - 1] = { type: 'chunk', text: last.text + event.text };
      } else if (event.type === 'reasoning' && last?.type === 'reasoning') {
        this.#written[this.#written.length - 1] = {
          type: 'reasoning',
          text: last.text + event.text,
        };
      } else {
        this.#written.push(event);
      }
    }
  }
}

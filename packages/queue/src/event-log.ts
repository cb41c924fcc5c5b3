import { isFinalEvent, type PromptEvent, promptEventSchema } from '@llmq/contracts';
import type { Redis } from 'ioredis';
import { type AppendEventsCommand, appendEventsScript } from './append-events-script.ts';
import {
  type ChannelListener,
  type ChannelMessage,
  ChannelSubscriptions,
} from './channel-subscriptions.ts';
import { compareEntryIds } from './entry-id.ts';
import { EventLogLostError, EventLogSupersededError } from './event-log-errors.ts';

export interface LogEntry {
  /** The Redis Stream entry id: the SSE event id a client resumes from. */
  readonly id: string;
  readonly event: PromptEvent;
  /** The event's JSON as stored, so fan-out can send it without serialising it again. */
  readonly json: string;
}

export interface EventLogOptions {
  /** Prefix of every key and channel (tests use a random one). */
  readonly prefix: string;
  /** Seconds a log is kept after its final event. */
  readonly ttlSeconds?: number;
  /** Seconds a log without a final event is kept after its last entry (a lost job's log). */
  readonly idleTtlSeconds?: number;
  /** Approximate cap on a log's length. */
  readonly maxLength?: number;
}

type Listener = ChannelListener<LogEntry>;

/** Live entries buffered for one follower before it is made to read the stream instead. */
const maxPendingEntries = 1_000;
/** Entries read from the stream per round trip while a follower catches up. */
const pageSize = 1_000;
type LiveMessage = ChannelMessage<LogEntry>;

/**
 * The per-job event log: a Redis Stream per job for the backlog, and a pub/sub channel per job
 * for live entries. Every follower in the process shares one subscriber connection; a channel
 * is subscribed while at least one follower watches it.
 */
export class EventLog {
  readonly #commands: Redis;
  readonly #channels: ChannelSubscriptions<LogEntry>;
  readonly #prefix: string;
  readonly #ttlSeconds: number;
  readonly #idleTtlSeconds: number;
  readonly #maxLength: number;
  /**
   * How long a writer's continuing appends may leave a log's expiry as its last append set it
   * (a minute, or half the idle TTL when that is shorter): a log without an end still expires
   * about `idleTtlSeconds` after its last entry, and a busy log pays no EXPIRE per append.
   */
  readonly expiryRefreshMs: number;

  /**
   * @param commands a connection for appends and reads
   * @param subscriber a connection of its own, used only for pub/sub
   */
  constructor(commands: Redis, subscriber: Redis, options: EventLogOptions) {
    this.#commands = commands;
    // Published as `<entry id> <event JSON>`.
    this.#channels = new ChannelSubscriptions(subscriber, (message) => {
      const space = message.indexOf(' ');
      return entryOf(message.slice(0, space), message.slice(space + 1));
    });
    this.#prefix = options.prefix;
    this.#ttlSeconds = options.ttlSeconds ?? 3600;
    this.#idleTtlSeconds = options.idleTtlSeconds ?? 86_400;
    this.#maxLength = options.maxLength ?? 100_000;
    this.expiryRefreshMs = Math.min(60_000, (this.#idleTtlSeconds * 1000) / 2);
    commands.defineCommand('llmqAppendEvents', { numberOfKeys: 3, lua: appendEventsScript });
  }

  streamKey(jobId: string): string {
    return `${this.#prefix}:log:${jobId}`;
  }

  #endKey(jobId: string): string {
    return `${this.#prefix}:log:${jobId}:end`;
  }

  #attemptKey(jobId: string): string {
    return `${this.#prefix}:log:${jobId}:attempt`;
  }

  #channel(jobId: string): string {
    return `${this.#prefix}:log:${jobId}`;
  }

  /** Append an event; returns its entry id, or null when the log was already closed. */
  async append(jobId: string, event: PromptEvent): Promise<string | null> {
    const ids = await this.appendMany(jobId, [event]);
    return ids?.[0] ?? null;
  }

  /**
   * Append events in order in one round trip; returns their entry ids, or null when the log was
   * already closed. Nothing after a final event is appended. With `continuing`, the events
   * extend a log this writer began, and a log that is gone raises `EventLogLostError`. With an
   * `attempt`, a later attempt that has written to the log raises `EventLogSupersededError`.
   * A continuing append with `refreshExpiry: false` leaves the log's expiry as it is (its
   * writer set it less than `expiryRefreshMs` ago); every other append sets it.
   */
  async appendMany(
    jobId: string,
    events: readonly PromptEvent[],
    options?: {
      readonly continuing?: boolean;
      readonly attempt?: number;
      readonly refreshExpiry?: boolean;
    },
  ): Promise<string[] | null> {
    if (events.length === 0) return [];
    const args = [
      this.#channel(jobId),
      String(this.#maxLength),
      String(this.#ttlSeconds),
      String(this.#idleTtlSeconds),
      options?.continuing ? '1' : '0',
      String(options?.attempt ?? 0),
      options?.refreshExpiry === false ? '0' : '1',
    ];
    for (const event of events) args.push(isFinalEvent(event) ? '1' : '0', JSON.stringify(event));
    const ids = await (this.#commands as unknown as AppendEventsCommand).llmqAppendEvents(
      this.streamKey(jobId),
      this.#endKey(jobId),
      this.#attemptKey(jobId),
      ...args,
    );
    if (ids === 0) throw new EventLogLostError(jobId);
    if (ids === -1) throw new EventLogSupersededError(jobId, options?.attempt ?? 0);
    return Array.isArray(ids) ? ids : null;
  }

  /** The entries after `afterId` (all of them for `0`), oldest first. */
  async read(jobId: string, afterId = '0', count?: number): Promise<LogEntry[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const raw = (
      count === undefined
        ? await this.#commands.xrange(this.streamKey(jobId), start, '+')
        : await this.#commands.xrange(this.streamKey(jobId), start, '+', 'COUNT', count)
    ) as Array<[string, string[]]>;
    return raw.map(([id, fields]) => entryOf(id, fields[1] ?? ''));
  }

  /** Whether a log exists (it may have expired, or never been written). */
  async exists(jobId: string): Promise<boolean> {
    return (await this.#commands.exists(this.streamKey(jobId))) === 1;
  }

  /** Forget a log entirely, so a prompt can run again from a clean slate. */
  async reset(jobId: string): Promise<void> {
    await this.#commands.del(this.streamKey(jobId), this.#endKey(jobId), this.#attemptKey(jobId));
  }

  /**
   * The backlog after `afterId`, then live entries as they come, pulled one at a time, ending
   * after `done` or `error`, or when the signal aborts. An adapter over `deliver` (one
   * algorithm for both): each round delivers into a queue that this generator empties. The
   * backlog is read a page at a time as the queue empties; a consumer that falls more than
   * 1,000 live entries behind (a slow client) drops its queue and the next round reads the
   * stream again from the last entry it took, so it costs the process no unbounded memory.
   */
  async *follow(jobId: string, afterId = '0', signal?: AbortSignal): AsyncGenerator<LogEntry> {
    let last = afterId;
    while (!signal?.aborted) {
      const queue: LogEntry[] = [];
      const round = new AbortController();
      let behind = false;
      let settled = false;
      let failure: { readonly error: unknown } | undefined;
      let wake: (() => void) | undefined;
      let room: (() => void) | undefined;
      const release = () => {
        room?.();
        room = undefined;
      };
      const onEntry = (entry: LogEntry) => {
        if (queue.length >= maxPendingEntries) {
          behind = true;
          queue.length = 0;
          round.abort();
        } else {
          queue.push(entry);
        }
        wake?.();
      };
      // The next page of the backlog waits until the consumer has taken the last one.
      const beforeRead = () =>
        queue.length === 0
          ? undefined
          : new Promise<void>((resolve) => {
              room = resolve;
            });
      const delivering = this.#deliver(
        jobId,
        last,
        onEntry,
        signal ? AbortSignal.any([signal, round.signal]) : round.signal,
        beforeRead,
      )
        .catch((error: unknown) => {
          failure = { error };
        })
        .finally(() => {
          settled = true;
          wake?.();
        });
      try {
        for (;;) {
          if (signal?.aborted) return;
          const entry = queue.shift();
          if (entry) {
            last = entry.id;
            yield entry;
            if (isFinalEvent(entry.event)) return;
            continue;
          }
          release();
          if (settled) break;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        round.abort();
        release();
        await delivering;
      }
      if (failure) throw failure.error;
      if (!behind) return;
    }
  }

  /**
   * Push delivery, for fan-out to many clients: the backlog after `afterId`, then live entries,
   * with no gap and no duplicate, each live entry handed to `onEntry` synchronously as it
   * arrives, with no promise hop per entry. Resolves after the final entry, or when the signal
   * aborts; rejects when the log cannot be read.
   */
  deliver(
    jobId: string,
    afterId: string,
    onEntry: (entry: LogEntry) => void,
    signal: AbortSignal,
  ): Promise<void> {
    return this.#deliver(jobId, afterId, onEntry, signal);
  }

  /**
   * The no-gap resume, the one algorithm `deliver` and `follow` run: subscribe first, read the
   * stream from the last entry taken while live entries wait in a buffer, then take the buffer
   * and every live entry as it comes; an entry whose id is not past the last one taken is one
   * already read. A subscriber reconnect (`resync`) reads the stream again the same way. While
   * the stream is read the buffer holds at most 1,000 entries (then it is dropped for a read
   * again: a slow read costs no unbounded memory). `beforeRead` (follow's back-pressure) is
   * awaited before each page of the stream is read; live entries never wait for it.
   */
  async #deliver(
    jobId: string,
    afterId: string,
    onEntry: (entry: LogEntry) => void,
    signal: AbortSignal,
    beforeRead?: () => Promise<void> | undefined,
  ): Promise<void> {
    if (signal.aborted) return;
    const channel = this.#channel(jobId);
    let last = afterId;
    let live = false;
    let ended = false;
    let early: LiveMessage[] = [];
    let finish: () => void = () => undefined;
    let fail: (error: unknown) => void = () => undefined;
    const done = new Promise<void>((resolve, reject) => {
      finish = resolve;
      fail = reject;
    });
    const take = (entry: LogEntry) => {
      if (ended || compareEntryIds(entry.id, last) <= 0) return;
      last = entry.id;
      onEntry(entry);
      if (isFinalEvent(entry.event)) {
        ended = true;
        finish();
      }
    };
    // Reads the stream from the last entry taken, keeping what arrives meanwhile for after.
    const catchUp = async (): Promise<void> => {
      live = false;
      let read = 0;
      for (;;) {
        if (beforeRead) await beforeRead();
        if (ended) return;
        const entries = await this.read(jobId, last, pageSize);
        read += entries.length;
        for (const entry of entries) take(entry);
        if (ended || entries.length < pageSize) break;
      }
      if (read === 0 && !ended) {
        const final = await this.#finalAtOrBefore(jobId, last);
        if (final && !ended) {
          ended = true;
          onEntry(final);
          finish();
        }
      }
      const buffered = early;
      early = [];
      live = true;
      for (const message of buffered) {
        if (message.kind === 'resync') return catchUp();
        take(message.entry);
      }
    };
    const listener: Listener = (message) => {
      if (ended) return;
      if (!live) {
        // Everything buffered is in the stream too: past the bound, read it again instead.
        if (early.length >= maxPendingEntries) early = [{ kind: 'resync' }];
        else early.push(message);
      } else if (message.kind === 'resync') {
        void catchUp().catch(fail);
      } else {
        take(message.entry);
      }
    };
    const onAbort = () => {
      ended = true;
      finish();
    };
    signal.addEventListener('abort', onAbort);
    await this.#channels.subscribe(channel, listener);
    try {
      await catchUp();
      await done;
    } finally {
      signal.removeEventListener('abort', onAbort);
      const unsubscribed = this.#channels.unsubscribe(channel, listener);
      if (unsubscribed) await unsubscribed;
    }
  }

  /**
   * The log's final event when a follower is at or past it (it resumes from the final event's
   * id, or a later one): it gets that event again, so a stream that ends without one always
   * means "reconnect" and one that ends with it means "finished". Undefined while the log is
   * open, or when its final event is still ahead of the follower (it comes as usual).
   */
  async #finalAtOrBefore(jobId: string, afterId: string): Promise<LogEntry | undefined> {
    if (afterId === '0') return undefined;
    const raw = (await this.#commands.xrevrange(
      this.streamKey(jobId),
      '+',
      '-',
      'COUNT',
      1,
    )) as Array<[string, string[]]>;
    const newest = raw[0];
    if (!newest) return undefined;
    const entry = entryOf(newest[0], newest[1][1] ?? '');
    return isFinalEvent(entry.event) && compareEntryIds(entry.id, afterId) <= 0 ? entry : undefined;
  }

  /** The number of channels this process is subscribed to (one per followed job). */
  get subscribedChannels(): number {
    return this.#channels.size;
  }
}

function entryOf(id: string, json: string): LogEntry {
  return { id, event: promptEventSchema.parse(JSON.parse(json)), json };
}

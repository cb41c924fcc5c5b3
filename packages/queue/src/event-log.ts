import { isFinalEvent, type PromptEvent, promptEventSchema } from '@llmq/contracts';
import type { Redis } from 'ioredis';
import { compareEntryIds } from './entry-id.ts';

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

// One round trip appends one or more entries, publishes each, and sets expiry, atomically, so
// a subscriber can never see a live entry that the stream does not hold. After a final event
// the log is closed: later appends (a cancelled job's last chunk in flight) are refused. An
// attempt's appends (ARGV[6] > 0) are fenced: the highest attempt that wrote is kept (KEYS[3]),
// and an earlier attempt still running (its job was lost and run again) is refused with -1, so
// two attempts never interleave in one log. An append that continues a log (ARGV[5] = '1') is
// refused with 0 when the log is gone: Redis lost it (a restart without persistence, a
// failover), and appending would leave a log without its start that a follower would take for
// the whole answer.
// ARGV: channel, maxLength, ttlSeconds, idleTtlSeconds, continuing, attempt, then per entry:
// final flag, payload.
const appendScript = `
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local attempt = tonumber(ARGV[6])
if attempt > 0 then
  local owner = tonumber(redis.call('GET', KEYS[3]) or '0')
  if owner > attempt then return -1 end
  if ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
  if owner < attempt then redis.call('SET', KEYS[3], ARGV[6]) end
elseif ARGV[5] == '1' and redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local ids = {}
local final = false
for i = 7, #ARGV, 2 do
  local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'e', ARGV[i + 1])
  redis.call('PUBLISH', ARGV[1], id .. ' ' .. ARGV[i + 1])
  ids[#ids + 1] = id
  if ARGV[i] == '1' then final = true break end
end
local ttl = ARGV[4]
if final then
  ttl = ARGV[3]
  redis.call('SET', KEYS[2], '1', 'EX', ttl)
end
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[3], ttl)
return ids
`;

/** The append script, defined on the connection so ioredis sends it by SHA (EVALSHA). */
interface AppendCommand {
  llmqAppendEvents(
    streamKey: string,
    endKey: string,
    attemptKey: string,
    ...args: string[]
  ): Promise<string[] | null | 0 | -1>;
}

type Listener = (message: LiveMessage) => void;

/** Live entries buffered for one follower before it is made to read the stream instead. */
const maxPendingEntries = 1_000;
type LiveMessage =
  | { readonly kind: 'entry'; readonly entry: LogEntry }
  | { readonly kind: 'resync' };

interface Subscription {
  readonly listeners: Set<Listener>;
  ready: Promise<unknown>;
}

/**
 * The per-job event log: a Redis Stream per job for the backlog, and a pub/sub channel per job
 * for live entries. Every follower in the process shares one subscriber connection; a channel
 * is subscribed while at least one follower watches it.
 */
export class EventLog {
  readonly #commands: Redis;
  readonly #subscriber: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;
  readonly #idleTtlSeconds: number;
  readonly #maxLength: number;
  readonly #subscriptions = new Map<string, Subscription>();
  #connectedBefore = false;

  /**
   * @param commands a connection for appends and reads
   * @param subscriber a connection of its own, used only for pub/sub
   */
  constructor(commands: Redis, subscriber: Redis, options: EventLogOptions) {
    this.#commands = commands;
    this.#subscriber = subscriber;
    this.#prefix = options.prefix;
    this.#ttlSeconds = options.ttlSeconds ?? 3600;
    this.#idleTtlSeconds = options.idleTtlSeconds ?? 86_400;
    this.#maxLength = options.maxLength ?? 100_000;
    commands.defineCommand('llmqAppendEvents', { numberOfKeys: 3, lua: appendScript });
    subscriber.on('message', (channel: string, message: string) =>
      this.#dispatch(channel, message),
    );
    // After a reconnect ioredis resubscribes, but what was published meanwhile is gone: every
    // follower reads the stream again from where it was.
    subscriber.on('ready', () => {
      if (this.#connectedBefore) {
        for (const subscription of this.#subscriptions.values()) {
          for (const listener of subscription.listeners) listener({ kind: 'resync' });
        }
      }
      this.#connectedBefore = true;
    });
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
   */
  async appendMany(
    jobId: string,
    events: readonly PromptEvent[],
    options?: { readonly continuing?: boolean; readonly attempt?: number },
  ): Promise<string[] | null> {
    if (events.length === 0) return [];
    const args = [
      this.#channel(jobId),
      String(this.#maxLength),
      String(this.#ttlSeconds),
      String(this.#idleTtlSeconds),
      options?.continuing ? '1' : '0',
      String(options?.attempt ?? 0),
    ];
    for (const event of events) args.push(isFinalEvent(event) ? '1' : '0', JSON.stringify(event));
    const ids = await (this.#commands as unknown as AppendCommand).llmqAppendEvents(
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
   * The backlog after `afterId`, then live entries as they come, with no gap and no duplicate
   * (entries published while the backlog is read are recognised by id), ending after `done` or
   * `error`, or when the signal aborts.
   */
  async *follow(jobId: string, afterId = '0', signal?: AbortSignal): AsyncGenerator<LogEntry> {
    const channel = this.#channel(jobId);
    const pending: LiveMessage[] = [];
    let wake: (() => void) | undefined;
    const listener: Listener = (message) => {
      if (pending.length >= maxPendingEntries) {
        // A consumer this far behind (a slow client) reads the stream again from its last
        // entry instead of this process holding an ever longer backlog for it.
        pending.length = 0;
        pending.push({ kind: 'resync' });
      } else {
        pending.push(message);
      }
      wake?.();
    };
    const onAbort = () => wake?.();
    signal?.addEventListener('abort', onAbort);
    await this.#subscribe(channel, listener);
    try {
      let last = afterId;
      let caughtUp = false;
      while (!signal?.aborted) {
        if (!caughtUp) {
          caughtUp = true;
          const backlog = await this.read(jobId, last);
          for (const entry of backlog) {
            yield entry;
            last = entry.id;
            if (isFinalEvent(entry.event)) return;
          }
          if (backlog.length === 0) {
            const final = await this.#finalAtOrBefore(jobId, last);
            if (final) {
              yield final;
              return;
            }
          }
          continue;
        }
        const message = pending.shift();
        if (!message) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
          continue;
        }
        if (message.kind === 'resync') {
          caughtUp = false;
          continue;
        }
        if (compareEntryIds(message.entry.id, last) <= 0) continue;
        yield message.entry;
        last = message.entry.id;
        if (isFinalEvent(message.entry.event)) return;
      }
    } finally {
      signal?.removeEventListener('abort', onAbort);
      await this.#unsubscribe(channel, listener);
    }
  }

  /**
   * Push delivery, for fan-out to many clients: like `follow`, with no gap and no duplicate,
   * but each live entry is handed to `onEntry` synchronously as it arrives, with no promise
   * hop per entry. Resolves after the final entry, or when the signal aborts.
   */
  async deliver(
    jobId: string,
    afterId: string,
    onEntry: (entry: LogEntry) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const channel = this.#channel(jobId);
    let last = afterId;
    let live = false;
    let ended = false;
    let early: LiveMessage[] = [];
    let finish: () => void = () => undefined;
    const done = new Promise<void>((resolve) => {
      finish = resolve;
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
    const catchUp = async () => {
      live = false;
      let read = 0;
      for (;;) {
        const entries = await this.read(jobId, last, 1_000);
        read += entries.length;
        for (const entry of entries) take(entry);
        if (ended || entries.length < 1_000) break;
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
        early.push(message);
      } else if (message.kind === 'resync') {
        void catchUp().catch(finish);
      } else {
        take(message.entry);
      }
    };
    const onAbort = () => {
      ended = true;
      finish();
    };
    signal.addEventListener('abort', onAbort);
    await this.#subscribe(channel, listener);
    try {
      await catchUp();
      if (!ended) await done;
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.#unsubscribe(channel, listener);
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
    return this.#subscriptions.size;
  }

  async #subscribe(channel: string, listener: Listener): Promise<void> {
    let subscription = this.#subscriptions.get(channel);
    if (!subscription) {
      subscription = { listeners: new Set(), ready: this.#subscriber.subscribe(channel) };
      this.#subscriptions.set(channel, subscription);
    }
    subscription.listeners.add(listener);
    await subscription.ready;
  }

  async #unsubscribe(channel: string, listener: Listener): Promise<void> {
    const subscription = this.#subscriptions.get(channel);
    if (!subscription) return;
    subscription.listeners.delete(listener);
    if (subscription.listeners.size > 0) return;
    this.#subscriptions.delete(channel);
    await subscription.ready.catch(() => undefined);
    // A follower may have arrived while the subscription settled.
    if (!this.#subscriptions.has(channel)) {
      await this.#subscriber.unsubscribe(channel).catch(() => undefined);
    }
  }

  #dispatch(channel: string, message: string): void {
    const subscription = this.#subscriptions.get(channel);
    if (!subscription) return;
    const space = message.indexOf(' ');
    const entry = entryOf(message.slice(0, space), message.slice(space + 1));
    for (const listener of subscription.listeners) listener({ kind: 'entry', entry });
  }
}

/** The log an append meant to continue is gone from Redis: its writer must write it anew. */
export class EventLogLostError extends Error {
  override readonly name = 'EventLogLostError';

  constructor(jobId: string) {
    super(`The event log of ${jobId} is gone from Redis (it lost its data): it is written anew`);
  }
}

/** A later attempt of the job has written to its log: this attempt's run is over. */
export class EventLogSupersededError extends Error {
  override readonly name = 'EventLogSupersededError';

  constructor(jobId: string, attempt: number) {
    super(`A later attempt than ${attempt} writes the event log of ${jobId}: this one steps aside`);
  }
}

function entryOf(id: string, json: string): LogEntry {
  return { id, event: promptEventSchema.parse(JSON.parse(json)), json };
}

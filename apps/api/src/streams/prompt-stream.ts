import { isEndedStatus, isFinalEvent, type PromptEvent } from '@llmq/contracts';
import type { ChainStepRow, PromptWithAttachments } from '@llmq/db/reads';
import { finalEventOf, storedChainEvents } from '@llmq/engine';
import { compareEntryIds, type EventLog, type LogEntry } from '@llmq/queue';
import { openStreams } from './open-streams.ts';
import type { FrameSink } from './response-sink.ts';
import { SharedFrame } from './shared-frame.ts';

/** A prompt as a stream needs it: a chain's first step with its steps. */
export type StreamedPrompt = PromptWithAttachments & {
  readonly chainSteps?: readonly ChainStepRow[] | undefined;
};

// Why a delivery stops: one reason each for all streams (`abort()` without one builds a
// DOMException with its stack, per stream, thousands at once when a prompt's followers leave).
const clientGone = new Error('The client went away');
const logLost = new Error('The event log is gone; the stream ends from the stored row');

// Frames are built once per entry and shared by every client of the prompt in this process.
const frames = new WeakMap<LogEntry, SharedFrame>();

export function frameOf(entry: LogEntry): SharedFrame {
  let frame = frames.get(entry);
  if (frame === undefined) {
    frame = new SharedFrame(`id: ${entry.id}\nevent: ${entry.event.type}\ndata: ${entry.json}\n\n`);
    frames.set(entry, frame);
  }
  return frame;
}

/**
 * Write a prompt's events as SSE frames: from the event log while it lasts (backlog, then
 * live), from PostgreSQL once it has expired, or while Redis cannot be reached (`logReachable`
 * false) for a prompt that has ended: its row is final. Idle streams get keep-alive comments;
 * at each one, a stream whose log has vanished (Redis lost its data) looks at the row again
 * (`reload`), and once the prompt has ended there it is finished from the row, after a `restart`
 * when it had sent entries of the lost log. Ends after `done` or `error`, when the client goes
 * away, or when the api shuts down.
 */
export async function writePromptStream(
  sink: FrameSink,
  events: EventLog,
  prompt: StreamedPrompt,
  afterId: string,
  keepAliveMs: number,
  logReachable = true,
  reload?: () => Promise<StreamedPrompt | undefined>,
): Promise<void> {
  const forget = openStreams.add(sink);
  let last = afterId;
  let finished = false;
  let endedWithoutLog: StreamedPrompt | undefined;
  // Stops the delivery when the client goes, or when the log turns out lost (one listener on
  // the sink's signal: cheaper to make and to drop than a signal combining two).
  const stop = new AbortController();
  const onClientGone = () => stop.abort(clientGone);
  let looking = false;
  const lookForLostLog = async () => {
    if (!reload || looking || finished) return;
    looking = true;
    try {
      if (await events.exists(prompt.id)) return;
      const row = await reload();
      if (row && isEndedStatus(row.status) && !finished) {
        endedWithoutLog = row;
        stop.abort(logLost);
      }
    } catch {
      // Redis or PostgreSQL away: the next keep-alive looks again.
    } finally {
      looking = false;
    }
  };
  const keepAlive = setInterval(() => {
    sink.push(': keep-alive\n\n');
    void lookForLostLog();
  }, keepAliveMs);
  sink.signal.addEventListener('abort', onClientGone);
  // A client gone before the stream opened (while its prompt was read) aborted the sink before
  // the listener was there: the delivery must not start, or it follows the log to its end.
  if (sink.signal.aborted) onClientGone();
  try {
    if (isEndedStatus(prompt.status) && !(logReachable && (await logExists(events, prompt.id)))) {
      for await (const entry of storedEntries(prompt, afterId)) await sink.write(frameOf(entry));
      return;
    }
    // Pushed as each entry arrives: fan-out to thousands of clients with no per-entry await.
    await events.deliver(
      prompt.id,
      afterId,
      (entry) => {
        last = entry.id;
        if (isFinalEvent(entry.event)) {
          finished = true;
          sink.finish(frameOf(entry));
        } else {
          sink.push(frameOf(entry));
        }
      },
      stop.signal,
    );
    if (endedWithoutLog && !finished && !sink.signal.aborted) {
      for await (const entry of storedEntries(endedWithoutLog, last)) {
        await sink.write(frameOf(entry));
      }
    }
  } finally {
    sink.signal.removeEventListener('abort', onClientGone);
    forget();
    clearInterval(keepAlive);
  }
}

/** Whether the log is there to be read; a Redis that fails the look counts as no log. */
async function logExists(events: EventLog, promptId: string): Promise<boolean> {
  try {
    return await events.exists(promptId);
  } catch {
    return false;
  }
}

/**
 * A finished prompt's events rebuilt from its row, with ids `0-1`, `0-2`, … (below every real
 * log id). A client resuming from an id of the expired log gets `restart` first, so it drops
 * what it had and takes the whole stored text; one at or past the final event gets it again.
 */
export async function* storedEntries(
  prompt: StreamedPrompt,
  afterId: string,
): AsyncGenerator<LogEntry> {
  const events: PromptEvent[] = [];
  const resumingExpiredLog = afterId !== '0' && compareEntryIds(afterId, '1-0') >= 0;
  if (resumingExpiredLog) events.push({ type: 'restart', attempt: Math.max(prompt.attempts, 1) });
  events.push({ type: 'status', status: 'running', attempt: prompt.attempts });
  if (prompt.chainSteps) {
    // A chain's steps are stored as they went, whether or not the chain succeeded.
    events.push(...storedChainEvents(prompt.chainSteps));
  } else {
    // The stored reasoning is of the attempt that succeeded; a failed prompt's is not kept.
    if (prompt.status === 'succeeded' && prompt.reasoning) {
      events.push({ type: 'reasoning', text: prompt.reasoning });
    }
    if (prompt.status === 'succeeded' && prompt.response) {
      events.push({ type: 'chunk', text: prompt.response });
    }
  }
  events.push(finalEventOf(prompt));
  const entries = events.map((event, index) => ({
    id: `0-${index + 1}`,
    event,
    json: JSON.stringify(event),
  }));
  const missed = resumingExpiredLog
    ? entries
    : entries.filter((entry) => compareEntryIds(entry.id, afterId) > 0);
  // At or past the end, the final event again (as from the log): a stream that ends without
  // one tells the client to reconnect.
  yield* missed.length > 0 ? missed : entries.slice(-1);
}

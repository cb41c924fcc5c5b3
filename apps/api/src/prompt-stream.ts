import type { ServerResponse } from 'node:http';
import type { PromptEvent } from '@llmq/contracts';
import type { PromptWithAttachments } from '@llmq/db';
import { finalEventOf } from '@llmq/engine';
import { compareEntryIds, type EventLog, type LogEntry } from '@llmq/queue';

const ended = new Set(['succeeded', 'failed', 'cancelled']);

/** Where SSE frames go: a Node response written to directly. */
export interface FrameSink {
  /** Write a frame; resolves when the client can take more (backpressure). */
  write(frame: string): Promise<void>;
  /**
   * Write a frame now, without waiting. A client that falls more than `maxBufferedBytes` behind
   * is disconnected (it resumes with Last-Event-ID and reads what it missed from the log).
   */
  push(frame: string): void;
  readonly signal: AbortSignal;
}

/** Buffered output beyond which a live client is dropped rather than buffered for. */
const maxBufferedBytes = 1024 * 1024;

/** An SSE sink over a Node `ServerResponse`, with backpressure and client-gone detection. */
export function responseSink(response: ServerResponse): FrameSink {
  const controller = new AbortController();
  response.on('close', () => controller.abort());
  // A client that left before the sink was made has already closed the response.
  if (response.destroyed || response.socket?.destroyed === true) controller.abort();
  return {
    signal: controller.signal,
    push: (frame) => {
      if (controller.signal.aborted) return;
      response.write(frame);
      if (response.writableLength > maxBufferedBytes) {
        controller.abort();
        response.destroy();
      }
    },
    write: async (frame) => {
      if (controller.signal.aborted) return;
      if (response.write(frame)) return;
      await new Promise<void>((resume) => {
        const done = () => {
          response.off('drain', done);
          controller.signal.removeEventListener('abort', done);
          resume();
        };
        response.on('drain', done);
        controller.signal.addEventListener('abort', done);
      });
    },
  };
}

// Frames are built once per entry and shared by every client of the prompt in this process.
const frames = new WeakMap<LogEntry, string>();

export function frameOf(entry: LogEntry): string {
  let frame = frames.get(entry);
  if (frame === undefined) {
    frame = `id: ${entry.id}\nevent: ${entry.event.type}\ndata: ${entry.json}\n\n`;
    frames.set(entry, frame);
  }
  return frame;
}

/**
 * Write a prompt's events as SSE frames: from the event log while it lasts (backlog, then
 * live), from PostgreSQL once it has expired. Idle streams get keep-alive comments. Ends after
 * `done` or `error`, or when the client goes away.
 */
export async function writePromptStream(
  sink: FrameSink,
  events: EventLog,
  prompt: PromptWithAttachments,
  afterId: string,
  keepAliveMs: number,
): Promise<void> {
  const keepAlive = setInterval(() => sink.push(': keep-alive\n\n'), keepAliveMs);
  try {
    if (ended.has(prompt.status) && !(await events.exists(prompt.id))) {
      for await (const entry of storedEntries(prompt, afterId)) await sink.write(frameOf(entry));
      return;
    }
    // Pushed as each entry arrives: fan-out to thousands of clients with no per-entry await.
    await events.deliver(prompt.id, afterId, (entry) => sink.push(frameOf(entry)), sink.signal);
  } finally {
    clearInterval(keepAlive);
  }
}

/**
 * A finished prompt's events rebuilt from its row, with ids `0-1`, `0-2`, … (below every real
 * log id). A client resuming from an id of the expired log gets `restart` first, so it drops
 * what it had and takes the whole stored text.
 */
export async function* storedEntries(
  prompt: PromptWithAttachments,
  afterId: string,
): AsyncGenerator<LogEntry> {
  const events: PromptEvent[] = [];
  const resumingExpiredLog = afterId !== '0' && compareEntryIds(afterId, '1-0') >= 0;
  if (resumingExpiredLog) events.push({ type: 'restart', attempt: Math.max(prompt.attempts, 1) });
  events.push({ type: 'status', status: 'running', attempt: prompt.attempts });
  if (prompt.status === 'succeeded' && prompt.response) {
    events.push({ type: 'chunk', text: prompt.response });
  }
  events.push(finalEventOf(prompt));
  for (const [index, event] of events.entries()) {
    const id = `0-${index + 1}`;
    if (!resumingExpiredLog && compareEntryIds(id, afterId) <= 0) continue;
    yield { id, event, json: JSON.stringify(event) };
  }
}

import { isFinalEvent, type PromptEvent } from '@llmq/contracts';
import type { PromptWithAttachments } from '@llmq/db';
import { finalEventOf } from '@llmq/engine';
import { compareEntryIds, type EventLog, type LogEntry } from '@llmq/queue';
import type { FrameSink } from './response-sink.ts';
import { SharedFrame } from './shared-frame.ts';

const ended = new Set(['succeeded', 'failed', 'cancelled']);

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
    await events.deliver(
      prompt.id,
      afterId,
      (entry) =>
        isFinalEvent(entry.event) ? sink.finish(frameOf(entry)) : sink.push(frameOf(entry)),
      sink.signal,
    );
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

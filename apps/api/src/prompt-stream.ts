import type { PromptEvent } from '@llmq/contracts';
import type { PromptWithAttachments } from '@llmq/db';
import { compareEntryIds, type EventLog, type LogEntry } from '@llmq/queue';
import type { SSEStreamingApi } from 'hono/streaming';

const ended = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Write a prompt's events to an SSE response: from the event log while it lasts (backlog, then
 * live), from PostgreSQL once it has expired. Idle streams get keep-alive comments. The
 * response ends after `done` or `error`, or when the client goes away.
 */
export async function writePromptStream(
  stream: SSEStreamingApi,
  events: EventLog,
  prompt: PromptWithAttachments,
  afterId: string,
  keepAliveMs: number,
  signal: AbortSignal,
): Promise<void> {
  const keepAlive = setInterval(() => {
    void stream.write(': keep-alive\n\n').catch(() => undefined);
  }, keepAliveMs);
  try {
    const entries =
      ended.has(prompt.status) && !(await events.exists(prompt.id))
        ? storedEntries(prompt, afterId)
        : events.follow(prompt.id, afterId, signal);
    for await (const entry of entries) {
      await stream.writeSSE({
        id: entry.id,
        event: entry.event.type,
        data: JSON.stringify(entry.event),
      });
    }
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
  if (prompt.status === 'succeeded') {
    if (prompt.response) events.push({ type: 'chunk', text: prompt.response });
    events.push({
      type: 'done',
      status: 'succeeded',
      usage: {
        input: prompt.inputTokens,
        output: prompt.outputTokens,
        details: prompt.tokenDetails ?? null,
      },
      duration_ms: prompt.durationMs ?? 0,
    });
  } else {
    events.push({
      type: 'error',
      status: prompt.status === 'cancelled' ? 'cancelled' : 'failed',
      error: {
        kind: prompt.status === 'cancelled' ? 'Cancelled' : (prompt.errorKind ?? 'Error'),
        message:
          prompt.error ??
          (prompt.status === 'cancelled' ? 'The prompt was cancelled' : 'The prompt failed'),
      },
    });
  }
  for (const [index, event] of events.entries()) {
    const id = `0-${index + 1}`;
    if (!resumingExpiredLog && compareEntryIds(id, afterId) <= 0) continue;
    yield { id, event };
  }
}

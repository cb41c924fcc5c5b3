import { isEndedStatus } from '@llmq/contracts';
import type { PromptWithAttachments } from '@llmq/db/reads';
import type { EventLog } from '@llmq/queue';
import { storedEntries } from '../streams/prompt-stream.ts';
import type { FrameSink } from '../streams/response-sink.ts';
import { type ResponseEvent, ResponseEvents } from './response-events.ts';
import type { ResponseRowFields } from './response-object.ts';

/** One Responses event as an SSE frame, named by its type as OpenAI sends it. */
export function responseEventFrame(event: ResponseEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Write a response's events after `startingAfter` (-1 for all): the prompt's event log is read
 * from its start and mapped (`ResponseEvents`), so each event has the number it had in every
 * other stream of the response, then followed live until the response ends. Once an ended
 * prompt's log has expired, its events are rebuilt from the row (its text then in one delta,
 * numbered anew): a stream from the start gets them all, but a resumed one gets only the final
 * event (numbered after `startingAfter`), whose response holds the whole output, since the
 * rebuilt numbers no longer match what the client saw. A stream resumed at or past the last
 * event gets the last event again, so a stream that ends without a final event always means
 * "reconnect".
 */
export async function writeResponseEvents(
  sink: FrameSink,
  events: EventLog,
  prompt: PromptWithAttachments,
  fields: ResponseRowFields,
  startingAfter: number,
  keepAliveMs: number,
): Promise<void> {
  const keepAlive = setInterval(() => sink.push(': keep-alive\n\n'), keepAliveMs);
  try {
    const mapper = new ResponseEvents(fields);
    let last: ResponseEvent | undefined;
    let sent = false;
    const rebuilt = isEndedStatus(prompt.status) && !(await logExists(events, prompt.id));
    const resumingRebuilt = rebuilt && startingAfter >= 0;
    const entries = rebuilt
      ? storedEntries(prompt, '0')
      : events.follow(prompt.id, '0', sink.signal);
    for await (const entry of entries) {
      for (const event of mapper.next(entry.event)) {
        last = event;
        if (resumingRebuilt || event.sequence_number <= startingAfter) continue;
        sent = true;
        await sink.write(responseEventFrame(event));
      }
      if (mapper.ended) break;
    }
    if (resumingRebuilt && last) {
      const sequence = Math.max(last.sequence_number, startingAfter + 1);
      await sink.write(responseEventFrame({ ...last, sequence_number: sequence }));
    } else if (!sent && last && mapper.ended) {
      await sink.write(responseEventFrame(last));
    }
  } finally {
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

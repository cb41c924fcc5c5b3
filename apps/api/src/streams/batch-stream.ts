import { isEndedBatchStatus } from '@llmq/contracts';
import type { BatchState, PromptServices } from '@llmq/engine';
import { openStreams } from './open-streams.ts';
import type { FrameSink } from './response-sink.ts';
import type { SharedBatchStates } from './shared-batch-states.ts';

export interface BatchStreamOptions {
  /** Also send each item's end. */
  readonly items: boolean;
  /** Resume: items after this entry id. */
  readonly afterId: string;
  /** How often progress is looked at (at most one event per look). */
  readonly intervalMs: number;
  readonly keepAliveMs: number;
  /** Where the state is looked at: one look shared by all of this process's streams. */
  readonly states: SharedBatchStates<BatchState | undefined>;
}

/**
 * A batch's progress as SSE: `progress {status, counts}` when the counts change (at most once
 * per interval), each item's end as `item` (with `?items=true`), and `done` when the batch has
 * ended. Every frame's id is the last item entry sent, so `Last-Event-ID` resumes the items.
 */
export async function writeBatchStream(
  sink: FrameSink,
  services: PromptServices,
  start: BatchState,
  options: BatchStreamOptions,
): Promise<void> {
  const forget = openStreams.add(sink);
  try {
    await writeBatchEvents(sink, services, start, options);
  } finally {
    forget();
  }
}

async function writeBatchEvents(
  sink: FrameSink,
  services: PromptServices,
  start: BatchState,
  options: BatchStreamOptions,
): Promise<void> {
  let cursor = options.afterId;
  let lastProgress = '';
  let lastWrite = Date.now();
  let state = start;
  const write = async (event: string, data: unknown) => {
    lastWrite = Date.now();
    await sink.write(`id: ${cursor}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  while (!sink.signal.aborted) {
    if (options.items) {
      for (;;) {
        const entries = await services.batchLog.read(state.batch.id, cursor, 1_000);
        for (const entry of entries) {
          cursor = entry.id;
          await write('item', entry.event);
        }
        if (entries.length < 1_000) break;
      }
    }
    const progress = { type: 'progress', status: state.status, counts: state.counts };
    const serialised = JSON.stringify(progress);
    if (serialised !== lastProgress) {
      lastProgress = serialised;
      await write('progress', progress);
    }
    if (isEndedBatchStatus(state.status)) {
      await write('done', { ...progress, type: 'done' });
      return;
    }
    if (Date.now() - lastWrite >= options.keepAliveMs) {
      lastWrite = Date.now();
      await sink.write(': keep-alive\n\n');
    }
    await sleep(options.intervalMs, sink.signal);
    const next = await options.states.get(state.batch.id);
    if (!next) return;
    state = next;
  }
}

function sleep(milliseconds: number, signal: AbortSignal): Promise<void> {
  return new Promise((resume) => {
    const timer = setTimeout(done, milliseconds);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resume();
    }
    signal.addEventListener('abort', done);
  });
}

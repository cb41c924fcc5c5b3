import { newId } from '@llmq/core';
import { insertQueuedPrompts } from '@llmq/db';
import { startPromptWorker } from '@llmq/engine';
import type { EventLog } from '@llmq/queue';
import { openBenchServices } from './bench-services.ts';

/**
 * Chunk latency from the worker's append to a follower's receipt, in ms, with `streams` echo
 * jobs (10 ms between chunks of 4 characters) streaming at once.
 */
export async function chunkLatency(streams: number): Promise<number[]> {
  const services = await openBenchServices();
  try {
    // Time each append in the worker by entry id, read it again at the follower.
    const appendedAt = new Map<string, number>();
    const timed = new Proxy(services.events, {
      get(target, property) {
        if (property === 'appendMany') {
          return async (...args: Parameters<EventLog['appendMany']>) => {
            const before = performance.now();
            const ids = await target.appendMany(...args);
            for (const id of ids ?? []) appendedAt.set(id, before);
            return ids;
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const worker = startPromptWorker(
      { ...services.deps, events: timed },
      {
        connection: services.workerConnection(),
        prefix: services.prefix,
        concurrency: streams,
        backoffMs: 1_000,
      },
    );
    const latencies: number[] = [];
    const ids = Array.from({ length: streams }, () => newId());
    await services.database.db.transaction((tx) =>
      insertQueuedPrompts(
        tx,
        ids.map((id, index) => ({
          id,
          model: 'echo',
          prompt: `stream ${index}`,
          options: { delay_ms: 10, chunk_size: 4 },
          attachments: [],
        })),
      ),
    );
    const followers = ids.map(async (id) => {
      for await (const entry of services.events.follow(id)) {
        const received = performance.now();
        const sent = appendedAt.get(entry.id);
        if (entry.event.type === 'chunk' && sent !== undefined) latencies.push(received - sent);
      }
    });
    await services.queue.addBulk(
      ids.map((id) => ({ promptId: id, model: 'echo' })),
      'interactive',
    );
    await Promise.all(followers);
    await worker.close(1_000);
    return latencies;
  } finally {
    await services.close();
  }
}

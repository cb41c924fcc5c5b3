import { Queue, Worker } from 'bullmq';
import { openBenchServices } from './bench-services.ts';

/**
 * The baseline of the queue benchmarks: bare BullMQ on the same Redis, `addBulk` of `jobs` no-op
 * jobs and one worker at `concurrency`; jobs per second from the first add to the last finish.
 */
export async function bareBullmqRate(jobs: number, concurrency: number): Promise<number> {
  const services = await openBenchServices();
  try {
    const connection = services.workerConnection();
    const queue = new Queue('bare', { connection, prefix: services.prefix });
    let done = 0;
    let finished: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const started = performance.now();
    for (let start = 0; start < jobs; start += 1_000) {
      await queue.addBulk(
        Array.from({ length: Math.min(1_000, jobs - start) }, (_, index) => ({
          name: 'noop',
          data: { index: start + index },
          opts: { removeOnComplete: true },
        })),
      );
    }
    const worker = new Worker(
      'bare',
      async () => {
        if (++done === jobs) finished();
      },
      { connection: services.workerConnection(), prefix: services.prefix, concurrency },
    );
    await allDone;
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    await queue.close();
    return jobs / seconds;
  } finally {
    await services.close();
  }
}

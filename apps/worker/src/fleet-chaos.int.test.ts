import { setTimeout as sleep } from 'node:timers/promises';
import { EchoModel } from '@llmq/plugin-echo';
import type { LogEntry } from '@llmq/queue';
import type { ServiceProcess } from '@llmq/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type EchoInput,
  openWorkerFleet,
  successesByPrompt,
  type WorkerFleet,
} from './worker-fleet.fixture.ts';

let fleet: WorkerFleet;

beforeAll(async () => {
  fleet = await openWorkerFleet();
});

afterEach(() => fleet.killAll());

afterAll(() => fleet?.close());

const workerEnvironment = {
  WORKER_CONCURRENCY: '10',
  // Every kill strands about ten running jobs; one job may be on several killed workers in a
  // row. This test is about losing nothing, not about the stall budget (tested elsewhere).
  LLMQ_MAX_STALLED_COUNT: '20',
};

/** The text after the last restart: what a follower that honours `restart` ends up with. */
function followedText(log: readonly LogEntry[]): string {
  let text = '';
  for (const { event } of log) {
    if (event.type === 'restart') text = '';
    if (event.type === 'chunk') text += event.text;
  }
  return text;
}

describe('a fleet of worker processes under chaos', () => {
  it('runs 1,000 jobs exactly once each while a worker is killed and restarted every 2 s', async () => {
    const inputs: EchoInput[] = Array.from({ length: 1_000 }, (_, index) => ({
      prompt: `chaos ${index}`,
      options: { delay_ms: 20, chunk_size: 16 },
    }));
    const expected = await Promise.all(
      inputs.map(async (input) =>
        (await new EchoModel().prompt(input.prompt, { options: input.options })).text(),
      ),
    );
    const everyProcess: ServiceProcess[] = [];
    const start = () => {
      const worker = fleet.start(workerEnvironment);
      everyProcess.push(worker);
      return worker;
    };
    const slots = [start(), start(), start()];
    await Promise.all(slots.map((worker) => worker.waitForLine(/worker ready/)));

    const batchId = await fleet.enqueueBatch(inputs);
    let finished = false;
    let kills = 0;
    const chaos = (async () => {
      while (!finished) {
        await sleep(2_000);
        if (finished) return;
        const slot = kills % slots.length;
        const victim = slots[slot] as ServiceProcess;
        victim.kill('SIGKILL');
        await victim.exited;
        kills += 1;
        slots[slot] = start();
      }
    })();
    const rows = await fleet.batchEnded(batchId, 150_000).finally(() => {
      finished = true;
    });
    await chaos;

    // The chaos happened: workers died with jobs in their hands, which ran again elsewhere.
    expect(kills).toBeGreaterThanOrEqual(2);
    expect(rows.some((row) => row.attempts > 1)).toBe(true);

    expect(rows).toHaveLength(inputs.length);
    for (const [index, row] of rows.entries()) {
      expect({ index, status: row.status, text: row.response }).toEqual({
        index,
        status: 'succeeded',
        text: expected[index],
      });
      const log = await fleet.events.read(row.id);
      const ends = log.filter((entry) => entry.event.type === 'done');
      expect(ends, `prompt ${index} ends once`).toHaveLength(1);
      expect(log.at(-1)?.event.type, `nothing follows done in prompt ${index}'s log`).toBe('done');
      expect(followedText(log)).toBe(expected[index]);
    }
    for (const [promptId, count] of successesByPrompt(everyProcess)) {
      expect({ promptId, count }).toEqual({ promptId, count: 1 });
    }
  }, 180_000);

  it('loses and repeats nothing when a worker is stopped with SIGTERM in the middle of its jobs', async () => {
    const inputs: EchoInput[] = Array.from({ length: 200 }, (_, index) => ({
      prompt: `shutdown ${index}`,
      options: { delay_ms: 30, chunk_size: 16 },
    }));
    const expected = await Promise.all(
      inputs.map(async (input) =>
        (await new EchoModel().prompt(input.prompt, { options: input.options })).text(),
      ),
    );
    // A grace period shorter than a job: some finish in it, the rest are handed back.
    const stopping = fleet.start({ ...workerEnvironment, LLMQ_SHUTDOWN_GRACE_MS: '150' });
    const staying = fleet.start(workerEnvironment);
    await Promise.all([stopping, staying].map((worker) => worker.waitForLine(/worker ready/)));
    const batchId = await fleet.enqueueBatch(inputs);
    await stopping.waitForLine(/"msg":"prompt succeeded"/);
    stopping.kill('SIGTERM');
    expect(await stopping.exited).toBe(0);
    const rows = await fleet.batchEnded(batchId, 60_000);

    expect(stopping.lines.some((line) => line.includes('handing running jobs back'))).toBe(true);
    expect(rows.map((row) => row.status)).toEqual(inputs.map(() => 'succeeded'));
    expect(rows.map((row) => row.response)).toEqual(expected);
    for (const row of rows) {
      const log = await fleet.events.read(row.id);
      expect(log.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
      expect(followedText(log)).toBe(row.response);
    }
    for (const [promptId, count] of successesByPrompt([stopping, staying])) {
      expect({ promptId, count }).toEqual({ promptId, count: 1 });
    }
  });
});

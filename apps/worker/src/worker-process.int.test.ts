import { getPrompt } from '@llmq/db';
import { cancelPromptJob } from '@llmq/engine';
import { EchoModel } from '@llmq/plugin-echo';
import { startServiceProcess, waitFor } from '@llmq/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

const entry = new URL('./main.ts', import.meta.url).pathname;
let fleet: WorkerFleet;

beforeAll(async () => {
  fleet = await openWorkerFleet();
});

afterEach(() => fleet.killAll());

afterAll(() => fleet?.close());

const startWorker = (extra: Record<string, string> = {}) => fleet.start(extra);
const enqueue = (prompt: string, options: Record<string, unknown>) =>
  fleet.enqueue({ prompt, options });
const ended = (id: string) => fleet.ended(id);

describe('the worker process', () => {
  it('says it is ready, and what it loaded', async () => {
    const worker = startWorker();
    const ready = JSON.parse(await worker.waitForLine(/"msg":"worker ready"/));
    expect(ready.concurrency).toBe(5);
    expect(worker.lines.some((line) => line.includes('"models":["echo"]'))).toBe(true);
  });

  it('stops at once with a message naming a bad variable', async () => {
    const worker = startServiceProcess(entry, { DATABASE_URL: '', WORKER_CONCURRENCY: 'many' });
    expect(await worker.exited).toBe(1);
    const output = worker.lines.join('\n');
    expect(output).toContain('WORKER_CONCURRENCY');
    expect(output).toContain('DATABASE_URL');
  });

  it('finishes a job on a second worker after the first is killed mid-stream, storing the text once', async () => {
    const first = startWorker();
    await first.waitForLine(/worker ready/);
    const options = { delay_ms: 40, chunk_size: 3 };
    const id = await enqueue('survive a crash', options);
    await waitFor(
      async () =>
        (await fleet.events.read(id)).filter((entry) => entry.event.type === 'chunk').length >= 3,
      'chunks from the first worker',
    );
    first.kill('SIGKILL');
    await first.exited;
    const second = startWorker();
    await second.waitForLine(/worker ready/);
    const row = await ended(id);
    const expected = await new EchoModel().prompt('survive a crash', { options });
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, response: expected.text() });
    const log = await fleet.events.read(id);
    const restartAt = log.findIndex((entry) => entry.event.type === 'restart');
    expect(restartAt).toBeGreaterThan(0);
    const after = log
      .slice(restartAt)
      .map((entry) => (entry.event.type === 'chunk' ? entry.event.text : ''))
      .join('');
    expect(after).toBe(expected.text());
    expect(log.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
  });

  it('on SIGTERM finishes running jobs within the grace period and exits 0', async () => {
    const worker = startWorker({ LLMQ_SHUTDOWN_GRACE_MS: '20000' });
    await worker.waitForLine(/worker ready/);
    const id = await enqueue('finish me', { delay_ms: 20, chunk_size: 8 });
    await waitFor(
      async () => (await getPrompt(fleet.database.db, id))?.status === 'running',
      'the job to run',
    );
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect((await getPrompt(fleet.database.db, id))?.status).toBe('succeeded');
    expect(worker.lines.some((line) => line.includes('worker stopped'))).toBe(true);
  });

  it('on SIGTERM hands back what cannot finish in the grace period; another worker finishes it', async () => {
    const worker = startWorker({ LLMQ_SHUTDOWN_GRACE_MS: '100' });
    await worker.waitForLine(/worker ready/);
    const options = { delay_ms: 20, chunk_size: 4 };
    const id = await enqueue('too long for the grace period', options);
    await waitFor(
      async () => (await getPrompt(fleet.database.db, id))?.status === 'running',
      'the job to run',
    );
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.lines.some((line) => line.includes('handing running jobs back'))).toBe(true);
    expect((await getPrompt(fleet.database.db, id))?.status).not.toBe('succeeded');
    startWorker();
    const row = await ended(id);
    const expected = await new EchoModel().prompt('too long for the grace period', { options });
    expect(row).toMatchObject({ status: 'succeeded', response: expected.text() });
  });

  it('stops the job it runs when another process cancels the prompt; a queued one leaves the queue', async () => {
    const worker = startWorker();
    await worker.waitForLine(/worker ready/);
    // About seven seconds of chunks: it ends early only if the cancel reaches the worker.
    const running = await enqueue('cancel me while I run', { delay_ms: 100, chunk_size: 2 });
    await waitFor(
      async () => (await getPrompt(fleet.database.db, running))?.status === 'running',
      'the job to run',
    );
    const api = {
      db: fleet.database.db,
      queue: fleet.queue,
      events: fleet.events,
      control: fleet.control,
    };
    await cancelPromptJob(api, running);
    await worker.waitForLine(new RegExp(`"promptId":"${running}".*"msg":"cancel received`));
    await worker.waitForLine(new RegExp(`"promptId":"${running}","outcome":"cancelled"`));
    expect(await getPrompt(fleet.database.db, running)).toMatchObject({
      status: 'cancelled',
      response: null,
    });
    const log = await fleet.events.read(running);
    expect(
      log.filter((entry) => entry.event.type === 'error' || entry.event.type === 'done'),
    ).toEqual([
      expect.objectContaining({ event: expect.objectContaining({ status: 'cancelled' }) }),
    ]);
    expect(log.at(-1)?.event.type).toBe('error');

    worker.kill('SIGTERM');
    await worker.exited;
    const queued = await enqueue('cancel me before I run', {});
    expect(await fleet.queue.queueFor('echo').getJobState(queued)).toBe('waiting');
    await cancelPromptJob(api, queued);
    expect(await fleet.queue.queueFor('echo').getJob(queued)).toBeUndefined();
    expect((await getPrompt(fleet.database.db, queued))?.status).toBe('cancelled');
  });

  it('fails the prompt and ends its log when its job stalls more often than allowed', async () => {
    const stallBudget = { LLMQ_MAX_STALLED_COUNT: '0' };
    const first = startWorker(stallBudget);
    await first.waitForLine(/worker ready/);
    const id = await enqueue('stall me', { delay_ms: 100, chunk_size: 2 });
    // Killed once its log has begun, which then must end (with no log, streams replay the row).
    await waitFor(
      async () => (await fleet.events.read(id)).some((entry) => entry.event.type === 'chunk'),
      'the first chunk',
    );
    first.kill('SIGKILL');
    await first.exited;
    startWorker(stallBudget);
    const row = await ended(id);
    expect(row).toMatchObject({ status: 'failed', errorKind: 'Stalled' });
    // The row fails first, then the log ends: followers get the error.
    await waitFor(
      async () => (await fleet.events.read(id)).at(-1)?.event.type === 'error',
      'the log to end',
    );
    expect((await fleet.events.read(id)).at(-1)?.event).toMatchObject({
      status: 'failed',
      error: { kind: 'Stalled' },
    });
  });
});

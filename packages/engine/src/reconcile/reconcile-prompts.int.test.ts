import { newId } from '@llmq/core';
import {
  createApiKey,
  createQueuedPrompt,
  getPrompt,
  markPromptsRunning,
  type ResponseRow,
} from '@llmq/db';
import { createRedisConnection, promptQueueName } from '@llmq/queue';
import { waitFor } from '@llmq/testing';
import { UnrecoverableError, Worker } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { lostJobKind, reconcilePrompts } from './reconcile-prompts.ts';

const harness = useEngineHarness();

/** A queued row whose job was never added (its api died between the two). */
async function rowWithoutJob(prompt: string): Promise<string> {
  const id = newId();
  await createQueuedPrompt(harness().database.db, {
    id,
    model: 'echo',
    prompt,
    options: {},
    conversationId: newId(),
    attachments: [],
  });
  return id;
}

/** A row that a worker claimed for `attempt` and whose job then vanished (Redis lost it). */
async function runningRowWithoutJob(prompt: string, attempt: number): Promise<string> {
  const id = await rowWithoutJob(prompt);
  const claimed = await markPromptsRunning(harness().database.db, [{ id, attempt }]);
  expect(claimed.has(id)).toBe(true);
  return id;
}

async function rowOf(id: string): Promise<ResponseRow> {
  const row = await getPrompt(harness().database.db, id);
  if (!row) throw new Error(`no row ${id}`);
  return row;
}

function reconcile(graceMs = 0) {
  const { deps, queue } = harness();
  return reconcilePrompts({
    db: deps.db,
    queue,
    events: deps.events,
    logger: pino({ level: 'silent' }),
    graceMs,
  });
}

describe('the reconciler', () => {
  it('gives every queued or running prompt without a job its job again, with lost attempts counted', async () => {
    const queued = await rowWithoutJob('queued, never added');
    const running = await runningRowWithoutJob('running, job lost', 1);
    const exhausted = await runningRowWithoutJob('running its last attempt, job lost', 3);
    const live = await harness().enqueue({ prompt: 'queued with its job' });

    // Younger than the grace period: an api may still be adding their jobs.
    const early = await reconcile(60_000);
    expect(early).toMatchObject({ checked: 0, requeued: 0, handedBack: 0, failed: 0 });

    const report = await reconcile();
    expect(report.checked).toBeGreaterThanOrEqual(4);
    expect(report).toMatchObject({ requeued: 1, handedBack: 1, failed: 1 });
    expect(await rowOf(running)).toMatchObject({ status: 'queued', errorKind: lostJobKind });
    expect(await rowOf(exhausted)).toMatchObject({ status: 'failed', errorKind: lostJobKind });

    // A second pass finds every job in place and changes nothing.
    expect(await reconcile()).toMatchObject({ requeued: 0, handedBack: 0, failed: 0 });

    harness().startWorker();
    for (const id of [queued, running, live]) {
      await waitFor(
        async () => (await rowOf(id)).status === 'succeeded',
        `${id} to succeed`,
        20_000,
        50,
      );
    }
    // The lost attempt counted: the prompt ran once more, as attempt 2, and said so.
    expect((await rowOf(queued)).attempts).toBe(1);
    expect((await rowOf(running)).attempts).toBe(2);
    expect((await rowOf(running)).response).toContain('running, job lost');
    const log = await harness().deps.events.read(running);
    expect(log.map((entry) => entry.event.type)).toContain('restart');
  });

  it('adds a job again when BullMQ failed it for good but its row never ended', async () => {
    const { queue, redisUrl, prefix } = harness();
    const id = await harness().enqueue({ prompt: 'failed in Redis only' });
    // A processor that ends the job for good without touching its row, as a worker that died
    // between settling the job and writing the row leaves it.
    const connection = createRedisConnection(redisUrl, { name: `${prefix}-bare`, blocking: true });
    const bare = new Worker(
      promptQueueName('echo'),
      async () => {
        throw new UnrecoverableError('settled in Redis, never in PostgreSQL');
      },
      { connection, prefix },
    );
    await waitFor(
      async () => (await queue.presence([{ promptId: id, model: 'echo' }])).get(id) === 'finished',
      'the job to fail for good',
      20_000,
      50,
    );
    await bare.close();
    connection.disconnect();
    expect((await rowOf(id)).status).toBe('queued');

    expect(await reconcile()).toMatchObject({ requeued: 1 });
    harness().startWorker();
    await waitFor(async () => (await rowOf(id)).status === 'succeeded', 'the prompt', 20_000, 50);
    expect((await rowOf(id)).response).toContain('failed in Redis only');
  });

  it("adds the job with the prompt's owner and key, so the start gate never reads the row", async () => {
    const key = await createApiKey(harness().database.db, {
      id: newId(),
      name: 'reconciled',
      keyHash: newId(),
      owner: 'team-reconciled',
    });
    const id = newId();
    await createQueuedPrompt(harness().database.db, {
      id,
      model: 'echo',
      prompt: 'queued without its job',
      options: {},
      conversationId: newId(),
      attachments: [],
      owner: 'team-reconciled',
      apiKeyId: key.id,
    });
    // The jobs it adds, as added (a running worker may take and remove them at once).
    const { deps, queue } = harness();
    const added: unknown[] = [];
    const recording = new Proxy(queue, {
      get: (target, property) => {
        if (property === 'add') {
          return (job: unknown, ...rest: unknown[]) => {
            added.push(job);
            return (target.add as (...args: unknown[]) => Promise<void>).call(target, job, ...rest);
          };
        }
        const value: unknown = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    await reconcilePrompts({
      db: deps.db,
      queue: recording,
      events: deps.events,
      logger: pino({ level: 'silent' }),
      graceMs: 0,
    });
    expect(added).toContainEqual(
      expect.objectContaining({ promptId: id, owner: 'team-reconciled', apiKeyId: key.id }),
    );
  });

  it("measures a prompt's age on the database's clock, not the host's", async () => {
    // A row written just now is older than a zero grace, even in the same millisecond as the
    // pass and even on a host whose clock runs a minute behind the database's.
    const id = await rowWithoutJob('written just before the pass');
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 60_000 });
    try {
      expect(await reconcile()).toMatchObject({ requeued: 1 });
    } finally {
      vi.useRealTimers();
    }
    expect((await harness().queue.presence([{ promptId: id, model: 'echo' }])).get(id)).toBe(
      'live',
    );
  });
});

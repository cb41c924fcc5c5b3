import { createTestRedis } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { FairShare, fairShareKeys, fairSharePriorityCap } from './fair-share.ts';
import { PromptQueue } from './prompt-queue.ts';
import { createRedisConnection } from './redis-connection.ts';

const testRedis = createTestRedis();
const connections: Redis[] = [];
const queues: PromptQueue[] = [];

function connection(name: string): Redis {
  const opened = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-${name}` });
  connections.push(opened);
  return opened;
}

function promptQueue(name = 'queue'): PromptQueue {
  const queue = new PromptQueue(connection(name), { prefix: testRedis.prefix });
  queues.push(queue);
  return queue;
}

afterAll(async () => {
  for (const queue of queues) await queue.close();
  for (const opened of connections) opened.disconnect();
  await testRedis.cleanup();
});

/** Jobs named `<owner>-<n>`, one model (one queue) each test. */
function jobs(owner: string, count: number, model: string, from = 0) {
  return Array.from({ length: count }, (_, index) => ({
    promptId: `${owner}-${from + index}`,
    model,
  }));
}

/** The waiting batch items in the order BullMQ will hand them out. */
async function runOrder(queue: PromptQueue, model: string): Promise<string[]> {
  const redis = connections[0] as Redis;
  return redis.zrange(queue.queueFor(model).toKey('prioritized'), '0', '-1');
}

async function priorityOf(queue: PromptQueue, model: string, id: string): Promise<number> {
  return (await queue.queueFor(model).getJob(id))?.priority ?? 0;
}

/** Take the first `count` waiting items, as workers would (without running them). */
async function take(queue: PromptQueue, model: string, count: number): Promise<void> {
  for (const id of (await runOrder(queue, model)).slice(0, count)) {
    await queue.queueFor(model).remove(id);
  }
}

describe('fair share between owners', () => {
  it('interleaves a small batch one-for-one with a large one already waiting', async () => {
    const queue = promptQueue();
    await queue.addBulk(jobs('a', 100, 'm1'), 'batch', 'alice');
    await queue.addBulk(jobs('b', 5, 'm1'), 'batch', 'bob');
    expect((await runOrder(queue, 'm1')).slice(0, 12)).toEqual([
      'a-0',
      'a-1',
      'b-0',
      'a-2',
      'b-1',
      'a-3',
      'b-2',
      'a-4',
      'b-3',
      'a-5',
      'b-4',
      'a-6',
    ]);
    // Alice's next batch comes after her first, not beside Bob's.
    await queue.addBulk(jobs('a', 3, 'm1', 100), 'batch', 'alice');
    expect(await priorityOf(queue, 'm1', 'a-100')).toBe(101);
  });

  it('starts a newcomer at the head of the queue, not at the start of time', async () => {
    const queue = promptQueue();
    await queue.addBulk(jobs('a', 1_000, 'm2'), 'batch', 'alice');
    await take(queue, 'm2', 600);
    await queue.addBulk(jobs('c', 3, 'm2'), 'batch', 'carol');
    const order = await runOrder(queue, 'm2');
    expect(order.slice(0, 7)).toEqual(['a-600', 'a-601', 'c-0', 'a-602', 'c-1', 'a-603', 'c-2']);
    expect(await priorityOf(queue, 'm2', 'c-0')).toBe(602);
  });

  it('keeps its clock when a retried item comes back with an old priority', async () => {
    const queue = promptQueue();
    await queue.addBulk(jobs('a', 500, 'm3'), 'batch', 'alice');
    await take(queue, 'm3', 400);
    await queue.addBulk(jobs('b', 1, 'm3'), 'batch', 'bob');
    // An early item of Alice's is back (a retry after its backoff keeps its priority).
    await queue.queueFor('m3').add(
      'prompt',
      { promptId: 'a-old', model: 'm3' },
      {
        jobId: 'a-old',
        priority: 3,
      },
    );
    await queue.addBulk(jobs('d', 1, 'm3'), 'batch', 'dave');
    expect(await priorityOf(queue, 'm3', 'd-0')).toBe(402);
  });

  it('restarts from 0 once the queue holds nothing and has rested', async () => {
    const queue = promptQueue();
    await queue.addBulk(jobs('a', 50, 'm4'), 'batch', 'alice');
    await take(queue, 'm4', 50);
    // Emptied within the minute after a reservation: a chunk may still be on its way.
    await queue.addBulk(jobs('a', 2, 'm4', 50), 'batch', 'alice');
    expect(await priorityOf(queue, 'm4', 'a-50')).toBe(51);
    await take(queue, 'm4', 2);
    // The minute passes (the mark of the last reservation lapses).
    await (connections[0] as Redis).del(fairShareKeys(queue.queueFor('m4')).recent);
    await queue.addBulk(jobs('a', 2, 'm4', 52), 'batch', 'alice');
    expect(await priorityOf(queue, 'm4', 'a-52')).toBe(1);
  });

  it('caps priorities at BullMQ’s limit, the items past it added in order', async () => {
    const queue = promptQueue();
    const times = fairShareKeys(queue.queueFor('m5')).times;
    await queue.addBulk(jobs('a', 1, 'm5'), 'batch', 'alice');
    await (connections[0] as Redis).hset(times, 'erin', fairSharePriorityCap - 2);
    await queue.addBulk(jobs('e', 4, 'm5'), 'batch', 'erin');
    const priorities = await Promise.all(
      [0, 1, 2, 3].map((index) => priorityOf(queue, 'm5', `e-${index}`)),
    );
    expect(priorities).toEqual([
      fairSharePriorityCap - 1,
      fairSharePriorityCap,
      fairSharePriorityCap,
      fairSharePriorityCap,
    ]);
    expect((await runOrder(queue, 'm5')).slice(1)).toEqual(['e-0', 'e-1', 'e-2', 'e-3']);
  });

  it('gives concurrent adders of one owner disjoint priorities (one script per chunk)', async () => {
    const first = promptQueue('first-process');
    const second = promptQueue('second-process');
    await Promise.all(
      Array.from({ length: 10 }, (_, chunk) =>
        (chunk % 2 === 0 ? first : second).addBulk(
          jobs('a', 10, 'm6', chunk * 10),
          'batch',
          'alice',
        ),
      ),
    );
    const priorities = await Promise.all(
      Array.from({ length: 100 }, (_, index) => priorityOf(first, 'm6', `a-${index}`)),
    );
    expect(new Set(priorities).size).toBe(100);
    expect(Math.min(...priorities)).toBe(1);
    expect(Math.max(...priorities)).toBe(100);
  });

  it('costs one script call per chunk, small beside adding the chunk (measured)', async () => {
    const queue = promptQueue();
    const measured = connection('measure');
    const fairShare = new FairShare(measured);
    const bullQueue = queue.queueFor('m8');
    await queue.addBulk(jobs('a', 5_000, 'm8'), 'batch', 'alice');
    // The connection is open and the script loaded (Redis keeps it by its digest) before timing.
    await fairShare.priorities(queue.queueFor('m8-warm-up'), 'bob', 1);
    const reserveStart = performance.now();
    const priorities = await fairShare.priorities(bullQueue, 'bob', 5_000);
    const reserveMs = performance.now() - reserveStart;
    const addStart = performance.now();
    await bullQueue.addBulk(
      jobs('b', 5_000, 'm8').map((data, index) => ({
        name: 'prompt',
        data,
        opts: { jobId: data.promptId, priority: priorities[index] as number },
      })),
    );
    const addMs = performance.now() - addStart;
    console.log(
      `fair share: reserving a 5,000-item chunk's priorities took ${reserveMs.toFixed(1)} ms (one script call), adding the chunk ${addMs.toFixed(1)} ms`,
    );
    expect(priorities.slice(0, 2)).toEqual([2, 3]);
    expect(await bullQueue.count()).toBe(10_000);
  });

  it('leaves interactive prompts without a priority, and laptop mode one owner', async () => {
    const queue = promptQueue();
    await queue.add({ promptId: 'i-0', model: 'm7' });
    expect(await priorityOf(queue, 'm7', 'i-0')).toBe(0);
    await queue.addBulk(jobs('n', 2, 'm7'), 'batch', null);
    // A re-added item (a retry, the reconciler) takes its owner's next turn.
    await queue.add({ promptId: 'n-2', model: 'm7' }, 'batch', null);
    expect(await priorityOf(queue, 'm7', 'n-2')).toBe(3);
    const fairShare = new FairShare(connection('direct'));
    expect(await fairShare.priorities(queue.queueFor('m7'), null, 2)).toEqual([4, 5]);
    expect(await fairShare.priorities(queue.queueFor('m7'), null, 0)).toEqual([]);
  });
});

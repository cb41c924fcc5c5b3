import { createTestRedis } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchLog } from './batch-log.ts';
import { createRedisConnection } from './redis-connection.ts';

const testRedis = createTestRedis();
let redis: Redis;
let log: BatchLog;

beforeAll(() => {
  redis = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-batch-log` });
  log = new BatchLog(redis, testRedis.prefix, 60);
});

afterAll(async () => {
  redis.disconnect();
  await testRedis.cleanup();
});

const itemEnd = (index: number) =>
  ({
    type: 'item',
    index,
    custom_id: `item-${index}`,
    prompt_id: `prompt-${index}`,
    status: 'succeeded',
  }) as const;

describe('the batch log', () => {
  it('appends the item ends of several batches in one go, each in order, with expiry', async () => {
    const ids = await log.appendMany([
      { batchId: 'first', event: itemEnd(0) },
      { batchId: 'second', event: itemEnd(0) },
      { batchId: 'first', event: itemEnd(1) },
    ]);
    expect(ids).toHaveLength(3);
    expect((await log.read('first')).map((entry) => [entry.id, entry.event.index])).toEqual([
      [ids[0], 0],
      [ids[2], 1],
    ]);
    expect((await log.read('second')).map((entry) => entry.id)).toEqual([ids[1]]);
    expect(await redis.ttl(`${testRedis.prefix}:batchlog:first`)).toBeGreaterThan(50);
    expect(await log.appendMany([])).toEqual([]);
  });

  it('appends one entry and reads after an id', async () => {
    const first = await log.append('third', itemEnd(0));
    const second = await log.append('third', itemEnd(1));
    expect((await log.read('third', first)).map((entry) => entry.id)).toEqual([second]);
  });
});

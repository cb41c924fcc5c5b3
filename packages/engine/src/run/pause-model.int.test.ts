import { createRedisConnection } from '@llmq/queue';
import { createTestRedis } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pauseModel } from './pause-model.ts';

const testRedis = createTestRedis();
let redis: Redis;

beforeAll(() => {
  redis = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-pause` });
});

afterAll(async () => {
  redis.disconnect();
  await testRedis.cleanup();
});

describe('pauseModel', () => {
  it('pauses a queue with the value BullMQ reads as its limit reached', async () => {
    const key = `${testRedis.prefix}:prompts.echo:limiter`;
    expect(await pauseModel(redis, key, 5_000)).toBe(5_000);
    expect(await redis.get(key)).toBe(String(Number.MAX_SAFE_INTEGER));
    expect(await redis.pttl(key)).toBeGreaterThan(4_000);
  });

  it('lengthens a pause but never shortens it', async () => {
    const key = `${testRedis.prefix}:prompts.busy:limiter`;
    await pauseModel(redis, key, 60_000);
    const kept = await pauseModel(redis, key, 1_000);
    expect(kept).toBeGreaterThan(50_000);
    expect(await redis.pttl(key)).toBeGreaterThan(50_000);
    expect(await pauseModel(redis, key, 120_000)).toBe(120_000);
  });

  it('turns a rate window in progress into a pause', async () => {
    const key = `${testRedis.prefix}:prompts.rated:limiter`;
    await redis.set(key, '1', 'PX', 500);
    expect(await pauseModel(redis, key, 2_000)).toBe(2_000);
    expect(await redis.get(key)).toBe(String(Number.MAX_SAFE_INTEGER));
  });
});

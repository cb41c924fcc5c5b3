import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testEnvironment } from './env.ts';

export interface TestRedis {
  readonly url: string;
  /** A key prefix no other test uses. */
  readonly prefix: string;
  /** Delete every key under the prefix. */
  cleanup(): Promise<void>;
}

/** A random key prefix on the machine's Redis, so runs never see each other's keys. */
export function createTestRedis(): TestRedis {
  const prefix = `llmq-test-${randomBytes(6).toString('hex')}`;
  const url = testEnvironment.redisUrl;
  return {
    url,
    prefix,
    cleanup: async () => {
      const redis = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        let cursor = '0';
        do {
          const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== '0');
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** How many connections to Redis carry this client name (or a name starting so) right now. */
export async function countRedisClients(
  url: string,
  name: string,
  prefix = false,
): Promise<number> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    const list = (await redis.client('LIST')) as string;
    return list
      .split('\n')
      .filter((line) => (prefix ? line.includes(` name=${name}`) : line.includes(` name=${name} `)))
      .length;
  } finally {
    redis.disconnect();
  }
}

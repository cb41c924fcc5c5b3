import { describe, expect, it } from 'vitest';
import { dataFolderQueuePrefix, queuePrefixOf } from './queue-prefix.ts';

describe('queuePrefixOf', () => {
  it('takes the prefix set explicitly, in laptop mode too', () => {
    expect(
      queuePrefixOf({ given: 'mine', databaseUrl: undefined, dataFolder: '/home/me/.llmq' }),
    ).toEqual({ prefix: 'mine', source: 'LLMQ_QUEUE_PREFIX' });
  });

  it("derives laptop mode's prefix from the data folder, one per folder, allowed as a setting", () => {
    const first = queuePrefixOf({
      given: undefined,
      databaseUrl: undefined,
      dataFolder: '/a/.llmq',
    });
    const second = queuePrefixOf({
      given: undefined,
      databaseUrl: undefined,
      dataFolder: '/b/.llmq',
    });
    expect(first).toEqual({ prefix: dataFolderQueuePrefix('/a/.llmq'), source: 'data folder' });
    expect(first.prefix).toMatch(/^llmq-[0-9a-f]{10}$/);
    expect(second.prefix).not.toBe(first.prefix);
    expect(dataFolderQueuePrefix('/a/.llmq')).toBe(first.prefix);
  });

  it('keeps llmq for a deployment with DATABASE_URL, whose separate workers use it too', () => {
    expect(
      queuePrefixOf({ given: undefined, databaseUrl: 'postgres://db/llmq', dataFolder: '/srv' }),
    ).toEqual({ prefix: 'llmq', source: 'default' });
  });
});

import { newId } from '@llmq/core';
import { batchItemsPage, createBatch, providerBatchesOf, setBatchStatus } from '@llmq/db';
import { ProviderBatchQueue } from '@llmq/engine';
import { BatchLog, createRedisConnection } from '@llmq/queue';
import { type OpenAICompatibleServer, startOpenAICompatibleServer, waitFor } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

const total = 2_000;

describe('provider batches across worker processes', () => {
  let fleet: WorkerFleet;
  let openai: OpenAICompatibleServer;
  let commands: Redis;

  beforeAll(async () => {
    fleet = await openWorkerFleet();
    openai = await startOpenAICompatibleServer({ batchProcessingMs: 100 });
    commands = createRedisConnection(fleet.settings.REDIS_URL, { name: 'provider-batch-test' });
  });

  afterAll(async () => {
    commands.disconnect();
    await fleet.close();
    await openai.close();
  });

  const startWorker = () =>
    fleet.start({
      LLMQ_PLUGINS: '@llmq/plugin-echo,@llmq/plugin-openai',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENAI_API_KEY: 'sk-test',
      LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'local-chat' }]),
      LLMQ_PROVIDER_BATCH_POLL_MS: '100',
      LLMQ_PROVIDER_BATCH_MAX_REQUESTS: '300',
      LLMQ_LOG_FORMAT: 'json',
    });

  it('a poller SIGKILLed mid-import: another worker finishes, every item imported once', async () => {
    const batchId = newId();
    const items = Array.from({ length: total }, (_, index) => ({
      id: newId(),
      model: 'local-chat',
      prompt: `item ${index}`,
      options: {},
      attachments: [],
      customId: `item-${index}`,
    }));
    await createBatch(fleet.database.db, {
      id: batchId,
      model: 'local-chat',
      template: {},
      items,
      mode: 'provider',
      providerBatch: { id: newId(), provider: '127.0.0.1', model: 'local-chat' },
    });
    const queue = new ProviderBatchQueue(commands, {
      prefix: fleet.settings.LLMQ_QUEUE_PREFIX,
      pollMs: 100,
    });
    await queue.submit(batchId);
    await setBatchStatus(fleet.database.db, batchId, ['validating'], { status: 'queued' });
    const first = startWorker();
    // Killed while its provider batches' results are being written: some items in, not all.
    await waitFor(
      async () => {
        const rows = await batchItemsPage(fleet.database.db, batchId, -1, total);
        const done = rows.filter((row) => row.status === 'succeeded').length;
        return done >= 100 && done < total;
      },
      'the first worker to import some items',
      60_000,
      5,
    );
    first.kill('SIGKILL');
    await first.exited;
    // The killed worker was the fleet's only one: it created the provider batches and polled them.
    expect(first.lines.some((line) => line.includes('provider batch created'))).toBe(true);
    const second = startWorker();
    const rows = await fleet.batchEnded(batchId, 60_000);
    expect(rows).toHaveLength(total);
    expect(rows.every((row) => row.status === 'succeeded')).toBe(true);
    // One write per item: an import that ran twice would have counted a second attempt.
    expect(rows.every((row) => row.attempts === 1)).toBe(true);
    expect(rows.map((row) => row.customId)).toEqual(items.map((item) => item.customId));
    for (const row of rows) {
      const entries = await fleet.events.read(row.id);
      expect(entries.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
    }
    // The batch's item log names each item once at most (an entry lost to the kill only thins it).
    const logged: string[] = [];
    const log = new BatchLog(commands, fleet.settings.LLMQ_QUEUE_PREFIX);
    let after = '0';
    for (;;) {
      const page = await log.read(batchId, after, 1_000);
      if (page.length === 0) break;
      logged.push(...page.map((entry) => entry.event.prompt_id));
      after = page.at(-1)?.id ?? after;
    }
    expect(new Set(logged).size).toBe(logged.length);
    expect(logged.length).toBeGreaterThanOrEqual(total - 50);
    const providerBatches = await providerBatchesOf(fleet.database.db, batchId);
    expect(providerBatches).toHaveLength(7);
    expect(new Set(providerBatches.map((row) => row.providerBatchId)).size).toBe(7);
    expect(providerBatches.every((row) => row.status === 'ended')).toBe(true);
    // The second worker took over: it imported what was left.
    expect(second.lines.some((line) => line.includes('provider batch imported'))).toBe(true);
    await queue.close();
  });
});

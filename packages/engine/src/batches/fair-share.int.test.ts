import { batchCounts, responses } from '@llmq/db';
import { waitFor } from '@llmq/testing';
import { and, count, eq, isNotNull, lt, lte } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { submitBatch } from '../submit/submit-batch.ts';
import { cancelBatch } from './batch-operations.ts';

const harness = useEngineHarness();

/** What submitBatch reads of the services, as the api composes them. */
function services(): PromptServices {
  const { deps, queue } = harness();
  return {
    ...deps,
    queue,
    limits: { maxBatchItems: 5_000 },
    providerKeys: { requireAvailable: async () => undefined },
    defaultModel: 'echo',
  } as unknown as PromptServices;
}

async function batchOf(owner: string, size: number) {
  const { batch, queued } = await submitBatch(services(), {
    model: 'echo',
    prompt: owner,
    items: Array.from({ length: size }, (_, index) => ({ prompt: `${owner} ${index}` })),
    owner,
  });
  await queued;
  return batch;
}

async function succeeded(batchId: string): Promise<number> {
  return (await batchCounts(harness().database.db, batchId)).succeeded;
}

/**
 * How many of a batch's items had ended, or started, by a moment of the database's clock (before
 * it, when `strictly`), or by now when no moment is given.
 */
async function itemsBy(
  batchId: string,
  column: 'completedAt' | 'startedAt',
  moment?: Date,
  strictly = false,
): Promise<number> {
  const [row] = await harness()
    .database.db.select({ items: count() })
    .from(responses)
    .where(
      and(
        eq(responses.batchId, batchId),
        isNotNull(responses[column]),
        moment === undefined
          ? undefined
          : strictly
            ? lt(responses[column], moment)
            : lte(responses[column], moment),
      ),
    );
  return row?.items ?? 0;
}

async function startedAt(promptId: string): Promise<Date | null> {
  const [row] = await harness()
    .database.db.select({ startedAt: responses.startedAt })
    .from(responses)
    .where(eq(responses.id, promptId));
  return row?.startedAt ?? null;
}

describe('fair share between owners, measured with real workers', () => {
  it('finishes a small batch within a bound of items while a large one runs, and lets an interactive prompt ahead', async () => {
    const { startWorker, enqueue, database } = harness();
    // Two workers (two BullMQ connections, as two processes would have) of two slots each.
    const concurrency = 4;
    startWorker(2);
    startWorker(2);
    const large = await batchOf('owner-a', 1_500);
    await waitFor(async () => (await succeeded(large.id)) >= 50, 'owner A’s batch under way');

    const small = await batchOf('owner-b', 20);
    // Read once the small batch's items are all queued: at most what A had at its submission.
    const largeAtSubmission = await succeeded(large.id);
    await waitFor(async () => (await succeeded(small.id)) === 20, 'owner B’s small batch', 60_000);
    const smallItems = await database.db
      .select({ completedAt: responses.completedAt })
      .from(responses)
      .where(eq(responses.batchId, small.id));
    const smallEnd = new Date(Math.max(...smallItems.map((item) => Number(item.completedAt))));
    const largeAtSmallEnd = await itemsBy(large.id, 'completedAt', smallEnd);
    const bound = largeAtSubmission + 2 * 20 + concurrency;
    console.log(
      `fair share: owner A had ${largeAtSubmission} of 1500 done when owner B queued 20; at B's end A had ${largeAtSmallEnd} (bound ${bound}; first-in-first-out would have been 1500)`,
    );
    expect(largeAtSmallEnd).toBeLessThan(1_500);
    expect(largeAtSmallEnd).toBeLessThanOrEqual(bound);

    // An interactive prompt goes ahead of the 1,400-odd batch items still waiting.
    const startedBefore = await itemsBy(large.id, 'startedAt');
    const interactive = await enqueue({ prompt: 'interactive' });
    await waitFor(
      async () => (await startedAt(interactive)) !== null,
      'the interactive prompt to start',
    );
    const startedAhead = await itemsBy(
      large.id,
      'startedAt',
      (await startedAt(interactive)) ?? undefined,
      true,
    );
    console.log(
      `fair share: ${startedBefore} of owner A's items had started when the interactive prompt was queued, ${startedAhead} before it started`,
    );
    expect(startedAhead).toBeLessThanOrEqual(startedBefore + 2 * concurrency);
    expect(await succeeded(large.id)).toBeLessThan(1_500);

    await cancelBatch(services(), large.id);
  }, 120_000);
});

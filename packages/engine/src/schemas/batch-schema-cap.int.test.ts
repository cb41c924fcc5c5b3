import { schemaLimits } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { BatchItemsError, submitBatch } from '../submit/submit-batch.ts';

const harness = useEngineHarness();

/** What submitBatch reads of the services: it is refused before queueing anything. */
function services(): PromptServices {
  const { deps, queue } = harness();
  return {
    ...deps,
    queue,
    limits: { maxBatchItems: 1_000 },
    providerKeys: { requireAvailable: async () => undefined },
    defaultModel: 'echo',
  } as unknown as PromptServices;
}

/** Items each with a schema of its own (the concise syntax, one field named after the item). */
function items(count: number) {
  return Array.from({ length: count }, (_, index) => ({ schema: `field${index}` }));
}

async function refusal(input: Parameters<typeof submitBatch>[1]): Promise<BatchItemsError> {
  const error = await submitBatch(services(), input).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BatchItemsError);
  return error as BatchItemsError;
}

describe('a batch’s distinct schemas', () => {
  it('are at most the cap, its own schema counted, the first item past it named', async () => {
    const message = `schema: a batch may use at most ${schemaLimits.maxPerBatch} distinct schemas (its own and its items'); split it`;
    const beyond = await refusal({ prompt: 'hi', items: items(schemaLimits.maxPerBatch + 1) });
    expect(beyond.problems).toEqual([{ path: 'items[100]', message }]);
    const withOwn = await refusal({
      prompt: 'hi',
      schema: 'total float',
      items: items(schemaLimits.maxPerBatch),
    });
    expect(withOwn.problems).toEqual([{ path: 'items[99]', message }]);
  });

  it('may repeat one schema across any number of items', async () => {
    const repeated = Array.from({ length: 300 }, () => ({ schema: 'total float' }));
    const { batch, queued } = await submitBatch(services(), { prompt: 'hi', items: repeated });
    await queued;
    expect(batch.total).toBe(300);
  });
});

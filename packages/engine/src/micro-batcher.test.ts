import { describe, expect, it } from 'vitest';
import { MicroBatcher } from './micro-batcher.ts';

describe('MicroBatcher', () => {
  it('runs calls made in the same turn as one batch, answering each its own result', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs.map((input) => input * 2);
    });
    const results = await Promise.all([1, 2, 3].map((input) => batcher.submit(input)));
    expect(results).toEqual([2, 4, 6]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await batcher.submit(5)).toBe(10);
    expect(batches).toEqual([[1, 2, 3], [5]]);
  });

  it('starts a batch as soon as it is full', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (inputs) => {
      batches.push(inputs);
      return inputs;
    }, 2);
    await Promise.all([1, 2, 3].map((input) => batcher.submit(input)));
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('rejects every call of a failed batch with its error', async () => {
    const batcher = new MicroBatcher<number, number>(async () => {
      throw new Error('database gone');
    });
    const outcomes = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});

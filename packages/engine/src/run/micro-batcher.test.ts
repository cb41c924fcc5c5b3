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
    const batcher = new MicroBatcher<number, number>(
      async (inputs) => {
        batches.push(inputs);
        return inputs;
      },
      { maxSize: 2, maxRunning: 5 },
    );
    await Promise.all([1, 2, 3].map((input) => batcher.submit(input)));
    expect(batches).toEqual([[1, 2], [3]]);
  });

  it('gathers the calls made while batches run into the next one', async () => {
    const batches: number[][] = [];
    const releases: Array<() => void> = [];
    const batcher = new MicroBatcher<number, number>(
      (inputs) => {
        batches.push(inputs);
        return new Promise((resolve) => releases.push(() => resolve(inputs)));
      },
      { maxRunning: 1 },
    );
    const first = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    // The first batch still runs: these wait for it, across turns of the event loop.
    const later = [batcher.submit(2)];
    await new Promise((resolve) => setImmediate(resolve));
    later.push(batcher.submit(3), batcher.submit(4));
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1]]);
    releases.shift()?.();
    expect(await first).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    releases.shift()?.();
    expect(await Promise.all(later)).toEqual([2, 3, 4]);
  });

  it('goes on with the next batch after one fails, even when `run` throws at once', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(
      (inputs) => {
        calls += 1;
        if (calls === 1) throw new Error('no connection');
        return Promise.resolve(inputs);
      },
      { maxRunning: 1 },
    );
    await expect(batcher.submit(1)).rejects.toThrow('no connection');
    expect(await batcher.submit(2)).toBe(2);
  });

  it('rejects every call of a failed batch with its error', async () => {
    const batcher = new MicroBatcher<number, number>(async () => {
      throw new Error('database gone');
    });
    const outcomes = await Promise.allSettled([batcher.submit(1), batcher.submit(2)]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });

  it('rejects a batch answered with the wrong number of results, and goes on', async () => {
    let calls = 0;
    const batcher = new MicroBatcher<number, number>(
      async (inputs) => {
        calls += 1;
        return calls === 1 ? [] : inputs;
      },
      { maxRunning: 1 },
    );
    await expect(batcher.submit(1)).rejects.toThrow('A batch of 1 got 0 results');
    expect(await batcher.submit(2)).toBe(2);
  });

  it('refuses sizes that could never run a batch', () => {
    expect(() => new MicroBatcher(async (inputs) => inputs, { maxRunning: 0 })).toThrow(RangeError);
    expect(() => new MicroBatcher(async (inputs) => inputs, { maxSize: 0 })).toThrow(RangeError);
  });

  it('lets a batch that never settles stop holding up the calls behind it', async () => {
    const batches: number[][] = [];
    const batcher = new MicroBatcher<number, number>(
      (inputs) => {
        batches.push(inputs);
        // The first batch hangs, as a statement on a connection that died unnoticed would.
        return batches.length === 1
          ? new Promise<number[]>(() => undefined)
          : Promise.resolve(inputs);
      },
      { maxRunning: 1, stallMs: 50 },
    );
    const stuck = batcher.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(await batcher.submit(2)).toBe(2);
    expect(batches).toEqual([[1], [2]]);
    // The stuck caller still waits for its own batch.
    const outcome = await Promise.race([stuck.then(() => 'settled'), Promise.resolve('waiting')]);
    expect(outcome).toBe('waiting');
  });
});

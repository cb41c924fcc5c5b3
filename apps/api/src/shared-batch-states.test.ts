import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedBatchStates } from './shared-batch-states.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('SharedBatchStates', () => {
  it('gives every caller of the same moment one look, and looks again once it is stale', async () => {
    const looks: string[] = [];
    const states = new SharedBatchStates(async (batchId: string) => {
      looks.push(batchId);
      return `${batchId}#${looks.length}`;
    }, 250);
    const first = await Promise.all(Array.from({ length: 20 }, () => states.get('a')));
    expect(new Set(first)).toEqual(new Set(['a#1']));
    expect(await states.get('b')).toBe('b#2');
    await vi.advanceTimersByTimeAsync(249);
    expect(await states.get('a')).toBe('a#1');
    await vi.advanceTimersByTimeAsync(1);
    expect(await states.get('a')).toBe('a#3');
    expect(looks).toEqual(['a', 'b', 'a']);
  });

  it('shares a failed look with the callers of that moment only, and forgets stale looks', async () => {
    let calls = 0;
    const states = new SharedBatchStates(async () => {
      calls += 1;
      if (calls === 1) throw new Error('database unreachable');
      return calls;
    }, 250);
    const failures = await Promise.allSettled([states.get('a'), states.get('a')]);
    expect(failures.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    await vi.advanceTimersByTimeAsync(250);
    expect(states.size).toBe(0);
    expect(await states.get('a')).toBe(2);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SharedBatchStates } from './shared-batch-states.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

// The fake timers' clock.
const now = () => Date.now();

describe('SharedBatchStates', () => {
  it('gives every caller of the same moment one look, and looks again once it is stale', async () => {
    const looks: string[] = [];
    const states = new SharedBatchStates(
      async (batchId: string) => {
        looks.push(batchId);
        return `${batchId}#${looks.length}`;
      },
      250,
      now,
    );
    const first = await Promise.all(Array.from({ length: 20 }, () => states.get('a')));
    expect(new Set(first)).toEqual(new Set(['a#1']));
    expect(await states.get('b')).toBe('b#2');
    await vi.advanceTimersByTimeAsync(249);
    expect(await states.get('a')).toBe('a#1');
    await vi.advanceTimersByTimeAsync(1);
    expect(await states.get('a')).toBe('a#3');
    expect(looks).toEqual(['a', 'b', 'a']);
  });

  it('starts no second look while a slow one still runs, however old it is', async () => {
    let looks = 0;
    const states = new SharedBatchStates(
      async () => {
        looks += 1;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        return looks;
      },
      250,
      now,
    );
    const first = states.get('a');
    await vi.advanceTimersByTimeAsync(600);
    const second = states.get('a');
    await vi.advanceTimersByTimeAsync(400);
    expect(await Promise.all([first, second])).toEqual([1, 1]);
    expect(looks).toBe(1);
  });

  it('shares a failed look with the callers of that moment only, and forgets stale looks', async () => {
    let calls = 0;
    const states = new SharedBatchStates(
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database unreachable');
        return calls;
      },
      250,
      now,
    );
    const failures = await Promise.allSettled([states.get('a'), states.get('a')]);
    expect(failures.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    // Asked again at once, not after the look would have gone stale.
    expect(await states.get('a')).toBe(2);
    await vi.advanceTimersByTimeAsync(250);
    expect(states.size).toBe(0);
  });
});

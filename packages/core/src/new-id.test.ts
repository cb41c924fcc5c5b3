import { describe, expect, it } from 'vitest';
import { newId } from './new-id.ts';

describe('newId', () => {
  it('gives lowercase ULIDs that are unique and sort in the order they were made', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    for (const id of ids) expect(id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws a fresh random part in each new millisecond', async () => {
    const randomParts = new Set<string>();
    for (let index = 0; index < 20; index++) {
      randomParts.add(newId().slice(10));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    expect(randomParts.size).toBe(20);
  });
});

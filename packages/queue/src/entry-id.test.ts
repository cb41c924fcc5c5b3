import { describe, expect, it } from 'vitest';
import { compareEntryIds } from './entry-id.ts';

/** The comparison by value the in-place one must agree with. */
function byValue(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  const byMs = BigInt(aMs || '0') - BigInt(bMs || '0');
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(aSeq || '0') - BigInt(bSeq || '0');
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

describe('compareEntryIds', () => {
  const ids = [
    '0',
    '0-0',
    '0-1',
    '0-10',
    '0-9',
    '1-0',
    '9-0',
    '10-0',
    '1732550000000-0',
    '1732550000000-1',
    '1732550000000-10',
    '1732550000001-0',
    '01732550000000-2',
    '1732550000000-002',
    '99999999999999999999-99999999999999999999',
    '18446744073709551615-0',
  ];

  it('orders ids by the value of their parts, as numbers', () => {
    for (const a of ids) {
      for (const b of ids) expect([a, b, compareEntryIds(a, b)]).toEqual([a, b, byValue(a, b)]);
    }
  });

  it('counts a missing sequence as 0', () => {
    expect(compareEntryIds('5', '5-0')).toBe(0);
    expect(compareEntryIds('5', '5-1')).toBe(-1);
    expect(compareEntryIds('6', '5-1')).toBe(1);
  });
});

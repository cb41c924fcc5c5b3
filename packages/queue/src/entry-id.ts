/** Compare two Redis Stream entry ids (`<ms>-<seq>`): negative, zero or positive. */
export function compareEntryIds(a: string, b: string): number {
  const [aMs = '0', aSeq = '0'] = a.split('-');
  const [bMs = '0', bSeq = '0'] = b.split('-');
  const byMs = BigInt(aMs) - BigInt(bMs);
  if (byMs !== 0n) return byMs < 0n ? -1 : 1;
  const bySeq = BigInt(aSeq) - BigInt(bSeq);
  return bySeq === 0n ? 0 : bySeq < 0n ? -1 : 1;
}

/** Whether a string is a stream entry id a client may resume from. */
export function isEntryId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value) || value === '0';
}

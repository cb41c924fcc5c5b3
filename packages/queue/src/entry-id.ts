/**
 * Compare two Redis Stream entry ids (`<ms>-<seq>`, a missing part counting as 0): negative,
 * zero or positive. It runs for every follower of every entry delivered (thousands per entry
 * when a prompt is followed by many clients), so it compares the digits in place: no split, no
 * BigInt, nothing allocated.
 */
export function compareEntryIds(a: string, b: string): number {
  const aDash = dashOf(a);
  const bDash = dashOf(b);
  // The usual case, ids of one log a moment apart: digits of the same lengths compare as text.
  if (aDash === bDash && a.length === b.length) return a < b ? -1 : a > b ? 1 : 0;
  const byMs = compareDigits(a, 0, aDash, b, 0, bDash);
  if (byMs !== 0) return byMs;
  return compareDigits(
    a,
    Math.min(aDash + 1, a.length),
    a.length,
    b,
    Math.min(bDash + 1, b.length),
    b.length,
  );
}

function dashOf(id: string): number {
  const dash = id.indexOf('-');
  return dash < 0 ? id.length : dash;
}

/** Compare two runs of decimal digits by value (leading zeros ignored; an empty run is 0). */
function compareDigits(
  a: string,
  aStart: number,
  aEnd: number,
  b: string,
  bStart: number,
  bEnd: number,
): number {
  let aFrom = aStart;
  let bFrom = bStart;
  while (aFrom < aEnd && a.charCodeAt(aFrom) === 48) aFrom++;
  while (bFrom < bEnd && b.charCodeAt(bFrom) === 48) bFrom++;
  const byLength = aEnd - aFrom - (bEnd - bFrom);
  if (byLength !== 0) return byLength < 0 ? -1 : 1;
  for (let offset = 0; aFrom + offset < aEnd; offset++) {
    const byDigit = a.charCodeAt(aFrom + offset) - b.charCodeAt(bFrom + offset);
    if (byDigit !== 0) return byDigit < 0 ? -1 : 1;
  }
  return 0;
}

/** Whether a string is a stream entry id a client may resume from. */
export function isEntryId(value: string): boolean {
  return /^\d{1,20}-\d{1,20}$/.test(value) || value === '0';
}

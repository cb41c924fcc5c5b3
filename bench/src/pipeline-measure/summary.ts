/** The median of a few figures, and their range: `1,203 (1,190–1,222)`. */
export function medianRange(values: readonly number[], digits = 0): string {
  if (values.length === 0) return '–';
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  const format = (value: number) =>
    value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  if (sorted.length === 1) return format(median);
  return `${format(median)} (${format(sorted[0] as number)}–${format(sorted.at(-1) as number)})`;
}

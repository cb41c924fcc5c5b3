/** USD with enough digits for a cheap model's cents: four decimals, six below a cent. */
export function formatUsd(dollars: number): string {
  return `$${dollars.toFixed(dollars !== 0 && Math.abs(dollars) < 0.01 ? 6 : 4)}`;
}

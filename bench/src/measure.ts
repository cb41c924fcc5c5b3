/** Samples the process's resident memory while a piece of work runs, for peak growth. */
export async function measure<T>(
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; rssGrowthBytes: number }> {
  globalThis.gc?.();
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  const started = performance.now();
  try {
    const result = await work();
    const seconds = (performance.now() - started) / 1000;
    peak = Math.max(peak, process.memoryUsage.rss());
    return { result, seconds, rssGrowthBytes: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

export const mebibyte = 1024 * 1024;

export function formatMegabytes(bytes: number): string {
  return `${(bytes / mebibyte).toFixed(1)} MB`;
}

/**
 * How long a provider asked to be left alone, from its answer's headers: `retry-after-ms`
 * (OpenAI's), else `retry-after` as seconds or an HTTP date (RFC 9110); undefined when it did
 * not say. Every provider plugin reads its 429s and 5xx the same way.
 */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

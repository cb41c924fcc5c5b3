import { AttachmentError } from './errors.ts';

/** The subset of `fetch` attachments use; injectable so a service can guard where URLs lead. */
export type HttpFetch = (url: string, init: RequestInit) => Promise<globalThis.Response>;

/** llm follows at most three redirects for URL attachments (llm #1046). */
export const maxRedirects = 3;

/**
 * Fetch `url` following at most {@link maxRedirects} redirects by hand, so every hop goes
 * through `fetchImpl` (and through whatever guard it applies). Fails on a non-2xx answer.
 */
export async function fetchFollowingRedirects(
  url: string,
  method: 'GET' | 'HEAD',
  fetchImpl: HttpFetch,
  signal?: AbortSignal,
): Promise<globalThis.Response> {
  let current = url;
  for (let redirects = 0; ; redirects++) {
    let answer: globalThis.Response;
    try {
      answer = await fetchImpl(current, {
        method,
        redirect: 'manual',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (error instanceof AttachmentError) throw error;
      throw new AttachmentError(`Could not fetch ${current}: ${innermostMessage(error)}`, {
        cause: error,
      });
    }
    const location = answer.headers.get('location');
    if (answer.status >= 300 && answer.status < 400 && location) {
      await answer.body?.cancel();
      if (redirects === maxRedirects) {
        throw new AttachmentError(`Too many redirects fetching ${url} (at most ${maxRedirects})`);
      }
      current = new URL(location, current).toString();
      continue;
    }
    if (!answer.ok) {
      await answer.body?.cancel();
      throw new AttachmentError(`Fetching ${current} answered HTTP ${answer.status}`);
    }
    return answer;
  }
}

/** The most specific message of an error chain (`fetch failed` says less than its cause). */
function innermostMessage(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (
    let current = (error as { cause?: unknown })?.cause;
    current;
    current = (current as { cause?: unknown }).cause
  ) {
    if (current instanceof Error && current.message) message = current.message;
  }
  return message;
}

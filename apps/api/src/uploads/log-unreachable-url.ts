import { UnreachableUrlError } from '@llmq/engine';
import type { Logger } from 'pino';

/**
 * The socket error behind a URL that could not be fetched goes to the log, never to the caller
 * (its problem says only that the URL could not be fetched), so an operator can still see why.
 */
export function logUnreachableUrl(logger: Logger, error: unknown, path: string): void {
  if (!(error instanceof UnreachableUrlError)) return;
  logger.info({ err: error.cause, url: error.url, path }, 'a URL attachment could not be fetched');
}

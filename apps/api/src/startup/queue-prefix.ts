import { createHash } from 'node:crypto';

/** The prefix of a deployment's keys when none is set: its api and worker processes agree on it. */
export const defaultQueuePrefix = 'llmq';

export interface QueuePrefix {
  readonly prefix: string;
  /** Where it came from, for the start-up log. */
  readonly source: 'LLMQ_QUEUE_PREFIX' | 'data folder' | 'default';
}

/**
 * The prefix of every Redis key the api uses. One set explicitly wins. In laptop mode (no
 * DATABASE_URL) it is the data folder's own, so two services sharing a Redis never take each
 * other's jobs, and a restart on the same folder finds its queue again. A derived prefix
 * keeps to the characters the setting allows (no ':', which BullMQ puts between the prefix and
 * the queue's name), so `<prefix>:*` finds exactly one service's keys.
 */
export function queuePrefixOf(settings: {
  readonly given: string | undefined;
  readonly databaseUrl: string | undefined;
  /** The data folder's real path; laptop mode always has one. */
  readonly dataFolder: string | undefined;
}): QueuePrefix {
  if (settings.given) return { prefix: settings.given, source: 'LLMQ_QUEUE_PREFIX' };
  if (!settings.databaseUrl && settings.dataFolder) {
    return { prefix: dataFolderQueuePrefix(settings.dataFolder), source: 'data folder' };
  }
  return { prefix: defaultQueuePrefix, source: 'default' };
}

/** `llmq-` and the first 10 hex digits of the sha256 of the folder's real path. */
export function dataFolderQueuePrefix(realFolder: string): string {
  return `${defaultQueuePrefix}-${createHash('sha256').update(realFolder).digest('hex').slice(0, 10)}`;
}

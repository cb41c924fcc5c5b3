import type { Database } from '@llmq/db';
import type { EventLog, PromptQueue } from '@llmq/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type FleetPass, startFleetPass } from '../fleet/fleet-pass.ts';
import type { ProviderBatchQueue } from '../provider-batches/provider-batch-queue.ts';
import { reconcilePrompts } from './reconcile-prompts.ts';

export interface ReconcilerOptions {
  readonly db: Database;
  readonly queue: PromptQueue;
  /** Provider-mode batches' jobs, which the pass keeps (see provider-batches/). */
  readonly providerBatches?: ProviderBatchQueue | undefined;
  readonly events: EventLog;
  /** A non-blocking connection: the fleet's turns are taken on it. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  /** At most one pass per interval across the whole fleet. */
  readonly intervalMs: number;
  /** How old a prompt must be before its missing job counts as lost. */
  readonly graceMs: number;
}

export type Reconciler = FleetPass;

/**
 * Run the reconciler in this process whenever it is its turn: every process of the fleet looks
 * a few times per interval, and the first to look after an interval has passed runs one pass.
 * A prompt whose job went missing therefore waits at most grace + interval + a look's period +
 * one pass before its job is added again.
 */
export function startReconciler(options: ReconcilerOptions): Reconciler {
  const { logger } = options;
  const lookEveryMs = Math.min(Math.max(options.intervalMs / 4, 100), 5_000);
  return startFleetPass({
    connection: options.connection,
    prefix: options.prefix,
    name: 'reconcile',
    label: 'reconciler',
    logger,
    intervalMs: options.intervalMs,
    lookEveryMs,
    holdMs: Math.max(lookEveryMs * 3, 5_000),
    pass: async () => {
      const started = Date.now();
      const report = await reconcilePrompts(options);
      const fixed = report.requeued + report.handedBack + report.failed + report.batchesResumed > 0;
      const line = { ...report, durationMs: Date.now() - started };
      if (fixed) logger.warn(line, 'reconciler pass fixed prompts whose jobs were missing');
      else logger.debug(line, 'reconciler pass: every unfinished prompt has its job');
    },
  });
}

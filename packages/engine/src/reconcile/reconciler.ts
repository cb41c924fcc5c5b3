import { randomUUID } from 'node:crypto';
import type { Database } from '@llmq/db';
import { type EventLog, FleetTurns, type PromptQueue } from '@llmq/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
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

export interface Reconciler {
  /** Stop looking; a pass under way finishes first. */
  close(): Promise<void>;
}

/**
 * Run the reconciler in this process whenever it is its turn: every process of the fleet looks
 * a few times per interval, and the first to look after an interval has passed runs one pass.
 * A prompt whose job went missing therefore waits at most grace + interval + a look's period +
 * one pass before its job is added again.
 */
export function startReconciler(options: ReconcilerOptions): Reconciler {
  const { logger } = options;
  const lookEveryMs = Math.min(Math.max(options.intervalMs / 4, 100), 5_000);
  const turns = new FleetTurns(options.connection, {
    prefix: options.prefix,
    name: 'reconcile',
    intervalMs: options.intervalMs,
    // Renewed while a pass runs: a process that dies in its pass delays the next by this much.
    holdMs: Math.max(lookEveryMs * 3, 5_000),
  });
  const token = `${process.pid}:${randomUUID()}`;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  const look = async () => {
    try {
      await turns.runIfTurn(token, async () => {
        const started = Date.now();
        const report = await reconcilePrompts(options);
        const fixed =
          report.requeued + report.handedBack + report.failed + report.batchesResumed > 0;
        const line = { ...report, durationMs: Date.now() - started };
        if (fixed) logger.warn(line, 'reconciler pass fixed prompts whose jobs were missing');
        else logger.debug(line, 'reconciler pass: every unfinished prompt has its job');
      });
      if (failing) logger.info('reconciler passes run again');
      failing = false;
    } catch (error) {
      // Redis or PostgreSQL away: the next look tries again; say so once per outage.
      if (!failing) logger.error({ err: error }, 'reconciler pass failed; it will try again');
      failing = true;
    }
  };
  const lookNow = () => {
    // A look still under way (a long pass) is not stacked upon.
    if (stopped || running) return;
    running = look().finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(lookNow, lookEveryMs);
  timer.unref();
  lookNow();
  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

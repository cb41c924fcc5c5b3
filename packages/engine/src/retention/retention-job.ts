import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type FleetPass, startFleetPass } from '../fleet/fleet-pass.ts';
import {
  type RetentionPassOptions,
  type RetentionReport,
  type RetentionServices,
  runRetentionPass,
} from './retention-pass.ts';

export interface RetentionJobOptions extends RetentionPassOptions {
  readonly services: RetentionServices;
  /** A non-blocking connection: the fleet's turns are taken on it. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  /** At most one pass per interval across the whole fleet. */
  readonly intervalMs: number;
  /** Told of each pass this process ran (tests, metrics). */
  readonly onPass?: ((report: RetentionReport) => void) | undefined;
}

export type RetentionJob = FleetPass;

/**
 * Apply retention in this process whenever it is its turn (FleetTurns: one process of the fleet
 * at a time, at most one pass per interval, on a schedule kept in Redis that survives restarts).
 * Every process looks a few times per interval; the first to look after it has passed runs the
 * pass.
 */
export function startRetentionJob(options: RetentionJobOptions): RetentionJob {
  const { logger } = options;
  const lookEveryMs = Math.min(Math.max(options.intervalMs / 4, 100), 5_000);
  return startFleetPass({
    connection: options.connection,
    prefix: options.prefix,
    name: 'retention',
    label: 'retention',
    logger,
    intervalMs: options.intervalMs,
    lookEveryMs,
    holdMs: Math.max(lookEveryMs * 3, 5_000),
    pass: async () => {
      const started = Date.now();
      const report = await runRetentionPass(options.services, options);
      const line = { ...report, durationMs: Date.now() - started };
      if (Object.values(report).some((count) => count > 0)) {
        logger.info(line, 'retention pass removed what was due');
      } else {
        logger.debug(line, 'retention pass: nothing was due');
      }
      options.onPass?.(report);
    },
  });
}

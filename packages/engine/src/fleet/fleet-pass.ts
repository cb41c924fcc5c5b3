import { randomUUID } from 'node:crypto';
import { FleetTurns } from '@llmq/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface FleetPassOptions {
  /** A non-blocking connection: the fleet's turns are taken on it. */
  readonly connection: Redis;
  readonly prefix: string;
  /** Names the work in the turns' keys (`reconcile`, `retention`, …): one schedule per name. */
  readonly name: string;
  /** Names the work in the logs (`reconciler`, `webhook outbox`, …). */
  readonly label: string;
  readonly logger: Logger;
  /** At most one pass per interval across the whole fleet. */
  readonly intervalMs: number;
  /** How often this process looks whether it is its turn. */
  readonly lookEveryMs: number;
  /**
   * How long a turn's running mark lives unless renewed (it is, while the pass runs): a process
   * that dies in its pass delays the next this much.
   */
  readonly holdMs: number;
  /** One pass: it logs what it did. */
  readonly pass: () => Promise<void>;
}

export interface FleetPass {
  /** Stop looking; a pass under way finishes first. */
  close(): Promise<void>;
}

/**
 * Periodic work one process of the fleet does at a time (FleetTurns: at most one pass per
 * interval, on a schedule kept in Redis that survives restarts). Every process looks a few times
 * per interval; the first to look after an interval has passed runs the pass. A look still under
 * way (a long pass) is not stacked upon, and an outage (Redis, PostgreSQL) is logged once until
 * passes run again.
 */
export function startFleetPass(options: FleetPassOptions): FleetPass {
  const { logger, label } = options;
  const turns = new FleetTurns(options.connection, {
    prefix: options.prefix,
    name: options.name,
    intervalMs: options.intervalMs,
    holdMs: options.holdMs,
  });
  const token = `${process.pid}:${randomUUID()}`;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  const look = async () => {
    try {
      await turns.runIfTurn(token, options.pass);
      if (failing) logger.info(`${label} passes run again`);
      failing = false;
    } catch (error) {
      if (!failing) {
        logger.error({ err: error }, `${label} pass failed; it will try again`);
      }
      failing = true;
    }
  };
  const lookNow = () => {
    if (stopped || running) return;
    running = look().finally(() => {
      running = undefined;
    });
  };
  const timer = setInterval(lookNow, options.lookEveryMs);
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

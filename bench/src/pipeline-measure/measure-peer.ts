import { Redis } from 'ioredis';
import type { PipelinePeer } from '../pipeline-peers/peer.ts';
import { PostgresCpu } from './postgres-cpu.ts';
import { processCpuMicros } from './proc-stat.ts';
import { callsBetween, commandCalls, redisServerPid } from './redis-stats.ts';

/** One peer's figures from one run. */
export interface PeerRun {
  readonly jobsPerSecond: number;
  /** CPU per job, µs, over the measured window. */
  readonly nodeMicros: number;
  readonly redisMicros: number;
  /** The peer's own database's backends. */
  readonly postgresMicros: number;
  /** The whole PostgreSQL server (its background processes too, and anyone else's work). */
  readonly postgresServerMicros: number;
  /** Redis calls per job, by command (scripts' inner calls included). */
  readonly redisCalls: ReadonlyMap<string, number>;
}

/** Samples this process, redis-server and PostgreSQL around peers' measured windows. */
export class PeerMeter {
  readonly #redis: Redis;
  readonly #postgres = new PostgresCpu();

  constructor(redisUrl: string) {
    this.#redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  }

  /**
   * Prepares the peer (outside the window), then measures its run: wall time, utime+stime of
   * this node process (every peer's client and worker run in it), of redis-server and of
   * PostgreSQL, and Redis's commandstats; verifies and closes it afterwards (outside too).
   */
  async measure(peer: PipelinePeer, jobs: number, concurrency: number): Promise<PeerRun> {
    const prepared = await peer.prepare(jobs, concurrency);
    try {
      const redisPid = await redisServerPid(this.#redis);
      const stopPostgres = prepared.database
        ? await this.#postgres.start(prepared.database)
        : undefined;
      const callsBefore = await commandCalls(this.#redis);
      const redisBefore = processCpuMicros(redisPid);
      const nodeBefore = processCpuMicros(process.pid);
      const started = performance.now();
      await prepared.run();
      const seconds = (performance.now() - started) / 1000;
      const nodeAfter = processCpuMicros(process.pid);
      const redisAfter = processCpuMicros(redisPid);
      const callsAfter = await commandCalls(this.#redis);
      const postgresUsed = await stopPostgres?.();
      await prepared.verify();
      const perJob = (micros: number) => micros / jobs;
      const calls = new Map<string, number>();
      for (const [command, count] of callsBetween(callsBefore, callsAfter)) {
        calls.set(command, count / jobs);
      }
      return {
        jobsPerSecond: jobs / seconds,
        nodeMicros: perJob(nodeAfter - nodeBefore),
        redisMicros: perJob(redisAfter - redisBefore),
        postgresMicros: perJob(postgresUsed?.backends ?? 0),
        postgresServerMicros: perJob(postgresUsed?.server ?? 0),
        redisCalls: calls,
      };
    } finally {
      await prepared.close();
    }
  }

  async close(): Promise<void> {
    this.#redis.disconnect();
    await this.#postgres.close();
  }
}

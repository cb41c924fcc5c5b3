import { testEnvironment } from '@llmq/testing';
import postgres from 'postgres';
import { processCpuMicros, readProcStat, treeCpuMicros } from './proc-stat.ts';

/**
 * PostgreSQL's CPU over a measured window, two ways, both from /proc/<pid>/stat:
 * - `backends`: the backends connected to the peer's own database. Their pids come from
 *   pg_stat_activity (datname = the database), polled every `pollMs` from an admin connection
 *   (to database `postgres`, not counted), each backend's utime+stime read at the window's start
 *   (or 0 for one that connects inside it) and last seen value kept, so one that disconnects
 *   between polls loses at most one poll's CPU. This is the work the peer's own statements cost.
 * - `server`: the whole postmaster tree (postmaster + every live child + the children it
 *   reaped), which adds the WAL writer, checkpointer, background writer and autovacuum the
 *   peer's writes cause, but also any other client's work on this shared server.
 */
export class PostgresCpu {
  readonly #admin = postgres(testEnvironment.postgresAdminUrl, {
    max: 1,
    onnotice: () => undefined,
  });
  #postmaster = 0;

  async postmasterPid(): Promise<number> {
    if (this.#postmaster === 0) {
      const [row] = await this.#admin<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const backend = readProcStat(Number(row?.pid));
      if (!backend) throw new Error('cannot read the admin backend in /proc: is PostgreSQL local?');
      this.#postmaster = backend.ppid;
    }
    return this.#postmaster;
  }

  /** Start a window on `database`; the returned function ends it and gives the CPU used, µs. */
  async start(database: string, pollMs = 200): Promise<() => Promise<PostgresCpuUsed>> {
    const postmaster = await this.postmasterPid();
    const baseline = new Map<number, number>();
    const last = new Map<number, number>();
    const pidsOf = async () =>
      (
        await this.#admin<{ pid: number }[]>`
          select pid from pg_stat_activity where datname = ${database}`
      ).map((row) => Number(row.pid));
    for (const pid of await pidsOf()) {
      const cpu = processCpuMicros(pid);
      baseline.set(pid, cpu);
      last.set(pid, cpu);
    }
    const serverBefore = treeCpuMicros(postmaster);
    let polling = Promise.resolve();
    const poll = async () => {
      for (const pid of await pidsOf()) {
        if (!baseline.has(pid)) baseline.set(pid, 0);
        const cpu = readProcStat(pid)?.cpuMicros;
        if (cpu !== undefined) last.set(pid, cpu);
      }
    };
    const timer = setInterval(() => {
      polling = polling.then(poll, poll);
    }, pollMs);
    return async () => {
      clearInterval(timer);
      await polling;
      await poll();
      const serverAfter = treeCpuMicros(postmaster);
      let backends = 0;
      for (const [pid, cpu] of last) backends += cpu - (baseline.get(pid) ?? 0);
      return { backends, server: serverAfter - serverBefore, backendCount: last.size };
    };
  }

  async close(): Promise<void> {
    await this.#admin.end();
  }
}

export interface PostgresCpuUsed {
  readonly backends: number;
  readonly server: number;
  readonly backendCount: number;
}

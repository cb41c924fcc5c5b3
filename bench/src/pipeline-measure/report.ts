import type { PipelinePeer } from '../pipeline-peers/peer.ts';
import type { PeerRun } from './measure-peer.ts';
import { medianRange } from './summary.ts';

const sum = (calls: ReadonlyMap<string, number>) =>
  [...calls.values()].reduce((total, count) => total + count, 0);

/**
 * The table: per peer, jobs/s, CPU per job by process, Redis calls per job, and llmq's ratio
 * to it (llmq's rate over the peer's in the same run, so the ratios pair runs that shared the
 * machine's state) — each the median of the runs with their min–max.
 */
export function printTable(
  peers: readonly PipelinePeer[],
  runs: ReadonlyMap<PipelinePeer, PeerRun[]>,
  llmq: PipelinePeer,
): void {
  const ours = runs.get(llmq) ?? [];
  const rows = peers.map((peer) => {
    const results = runs.get(peer) ?? [];
    const pick = (figure: (run: PeerRun) => number) => results.map(figure);
    return [
      peer.name,
      medianRange(pick((run) => run.jobsPerSecond)),
      medianRange(pick((run) => run.nodeMicros)),
      peer.usesRedis ? medianRange(pick((run) => run.redisMicros)) : '–',
      peer.stores ? medianRange(pick((run) => run.postgresMicros)) : '0',
      medianRange(pick((run) => run.postgresServerMicros)),
      peer.usesRedis
        ? medianRange(
            pick((run) => sum(run.redisCalls)),
            1,
          )
        : '–',
      peer === llmq
        ? '1'
        : medianRange(
            results.map((run, index) => (ours[index]?.jobsPerSecond ?? 0) / run.jobsPerSecond),
            2,
          ),
    ];
  });
  const header = [
    'peer',
    'jobs/s',
    'node µs/job',
    'Redis µs/job',
    'PG µs/job (its db)',
    'PG µs/job (server)',
    'Redis calls/job',
    'llmq ×',
  ];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    cells.map((cell, column) => cell.padEnd(widths[column] as number)).join(' | ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
  for (const row of rows) console.log(line(row));
}

/** Redis calls per job by command, median of the runs, for the peers named. */
export function printRedisBreakdown(
  peers: readonly PipelinePeer[],
  runs: ReadonlyMap<PipelinePeer, PeerRun[]>,
): void {
  const commands = new Set<string>();
  for (const peer of peers) {
    for (const run of runs.get(peer) ?? [])
      for (const command of run.redisCalls.keys()) {
        commands.add(command);
      }
  }
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
  };
  const perPeer = peers.map((peer) => {
    const results = runs.get(peer) ?? [];
    return new Map(
      [...commands].map((command) => [
        command,
        median(results.map((run) => run.redisCalls.get(command) ?? 0)),
      ]),
    );
  });
  const ordered = [...commands]
    .filter((command) => perPeer.some((calls) => (calls.get(command) ?? 0) >= 0.005))
    .sort((a, b) => (perPeer[0]?.get(b) ?? 0) - (perPeer[0]?.get(a) ?? 0));
  const width = Math.max(7, ...ordered.map((command) => command.length));
  console.log(`${'command'.padEnd(width)} | ${peers.map((peer) => peer.name).join(' | ')}`);
  for (const command of ordered) {
    console.log(
      `${command.padEnd(width)} | ${perPeer
        .map((calls, index) =>
          (calls.get(command) ?? 0).toFixed(2).padStart((peers[index] as PipelinePeer).name.length),
        )
        .join(' | ')}`,
    );
  }
  console.log(
    `${'total'.padEnd(width)} | ${perPeer
      .map((calls, index) =>
        sum(calls)
          .toFixed(2)
          .padStart((peers[index] as PipelinePeer).name.length),
      )
      .join(' | ')}`,
  );
}

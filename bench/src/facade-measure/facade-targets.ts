import { addedTo, summarize } from './facade-report.ts';
import type { FacadePath, PathMeasure } from './path-measure.ts';

/** The paths the targets name, and both modes' measures of every path. */
export interface TargetInputs {
  readonly concurrentCalls: number;
  readonly straight: FacadePath;
  readonly bareProxy: FacadePath;
  readonly otherProxy: FacadePath;
  /** The openai SDK relay: the floor for a facade that reads the stream (not a target). */
  readonly relay: FacadePath;
  /** The llmq paths: chat (the targets' call) and /responses beside it. */
  readonly llmq: readonly FacadePath[];
  readonly concurrent: ReadonlyMap<FacadePath, PathMeasure>;
  readonly alone: ReadonlyMap<FacadePath, PathMeasure>;
}

const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/**
 * Issue #27's targets for the facade, judged on this run: one at a time, added time to first
 * token p50 ≤ 10 ms and p99 ≤ 20 ms; at the concurrent figure (50 by default), added p99 ≤
 * 100 ms; llmq's CPU per streaming call (api + worker) ≤ 3× the bare proxy's. The proxies' own
 * figures are printed beside them as the yardstick.
 */
export function printTargets(inputs: TargetInputs): void {
  const { straight, bareProxy, otherProxy, relay, llmq, concurrent, alone } = inputs;
  const added = (
    measures: ReadonlyMap<FacadePath, PathMeasure>,
    path: FacadePath,
    figure: 'firstToken50' | 'firstToken99',
  ) => {
    const base = measures.get(straight);
    const through = measures.get(path);
    if (!base || !through) return Number.NaN;
    return addedTo(summarize(base), summarize(through))[figure];
  };
  const latencyLine = (
    label: string,
    measures: ReadonlyMap<FacadePath, PathMeasure>,
    figure: 'firstToken50' | 'firstToken99',
    limitMs: number,
  ) => {
    const ours = llmq
      .map((path) => {
        const value = added(measures, path, figure);
        return `${path.name} ${value.toFixed(1)} ms ${verdict(value <= limitMs)}`;
      })
      .join(', ');
    const yardstick = [bareProxy, otherProxy]
      .map((path) => `${path.name} ${added(measures, path, figure).toFixed(1)} ms`)
      .join(', ');
    console.log(`  ${label} ≤ ${limitMs} ms: ${ours} (${yardstick})`);
  };
  const cpuLine = (label: string, measures: ReadonlyMap<FacadePath, PathMeasure>) => {
    const cpu = (path: FacadePath, source: 'stat' | 'schedstat') =>
      measures.get(path)?.cpuPerCallMs(path.processes, source) ?? Number.NaN;
    const ours = llmq
      .map((path) => {
        const ratio = cpu(path, 'stat') / cpu(bareProxy, 'stat');
        const check = cpu(path, 'schedstat') / cpu(bareProxy, 'schedstat');
        const judged = Number.isFinite(ratio) ? verdict(ratio <= 3) : 'no ratio';
        const toRelay = cpu(path, 'schedstat') / cpu(relay, 'schedstat');
        return `${path.name} ${cpu(path, 'stat').toFixed(2)} ms = ${ratio.toFixed(1)}× ${judged} (schedstat ${check.toFixed(1)}×; ${toRelay.toFixed(1)}× the SDK relay's)`;
      })
      .join(', ');
    const yardstick = [bareProxy, otherProxy, relay]
      .map((path) => `${path.name} ${cpu(path, 'stat').toFixed(2)} ms`)
      .join(', ');
    console.log(`  ${label}: ${ours} (${yardstick})`);
  };
  console.log(
    `\ntargets (issue #27; added = through the path's p-th percentile minus straight's, same run):`,
  );
  latencyLine('one at a time, added TTFT p50', alone, 'firstToken50', 10);
  latencyLine('one at a time, added TTFT p99', alone, 'firstToken99', 20);
  latencyLine(
    `${inputs.concurrentCalls} concurrent, added TTFT p99`,
    concurrent,
    'firstToken99',
    100,
  );
  cpuLine(
    `CPU per streaming call ≤ 3× the bare proxy's, ${inputs.concurrentCalls} concurrent`,
    concurrent,
  );
  cpuLine('the same, one at a time', alone);
}

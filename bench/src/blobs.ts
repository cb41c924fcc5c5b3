// pnpm bench:blobs — a 1 GiB generated stream into each blob store driver, against a baseline
// in the same run: a plain fs stream copy (filesystem) and a plain lib-storage upload with no
// hashing (S3, to s3rver in a child process). Each put runs in a fresh process (so RSS growth
// is its own), baseline and driver alternating, twice; MB/s is the better of the two runs.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { serviceNodeFlags } from '@llmq/testing';
import { formatMegabytes, mebibyte } from './measure.ts';

const total = Number(process.env.BENCH_BLOB_BYTES ?? 1024 * mebibyte);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
// On tmpfs when there is one: the disk here is shared, and its writeback of earlier runs'
// gigabytes would decide the numbers instead of the code. Set BENCH_DIR to measure a disk.
const scratch = process.env.BENCH_DIR ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir());
const folder = await mkdtemp(join(scratch, 'llmq-bench-blobs-'));
const runner = new URL('./blob-put-run.ts', import.meta.url).pathname;

interface Run {
  readonly kind: string;
  readonly seconds: number;
  readonly rssGrowthBytes: number;
}

async function startS3rver(): Promise<{ storageUrl: string; stop: () => void }> {
  const child = spawn(
    process.execPath,
    [new URL('./s3rver-process.ts', import.meta.url).pathname],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TMPDIR: scratch },
    },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const first = await lines.next();
  const info = JSON.parse(String(first.value)) as { storageUrl: string };
  return { storageUrl: info.storageUrl, stop: () => child.kill('SIGTERM') };
}

async function once(kind: string, storageUrl: string): Promise<Run> {
  // Each put runs as the services do, with their Node flags.
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...serviceNodeFlags,
    runner,
    kind,
    folder,
    storageUrl,
    String(total),
  ]);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Run;
}

const rate = (run: Run) => total / mebibyte / run.seconds;

console.log(
  `bench:blobs — ${formatMegabytes(total)} generated stream per put, ${rounds} rounds, files under ${scratch}\n`,
);
const s3 = await startS3rver();
const results = new Map<string, Run[]>();
try {
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['fs-baseline', 'fs-driver', 's3-baseline', 's3-driver']) {
      const run = await once(kind, s3.storageUrl);
      results.set(kind, [...(results.get(kind) ?? []), run]);
      console.log(
        `round ${round + 1}  ${kind.padEnd(12)} ${rate(run).toFixed(1).padStart(8)} MB/s   RSS growth ${formatMegabytes(run.rssGrowthBytes).padStart(9)}`,
      );
    }
  }
} finally {
  s3.stop();
  await rm(folder, { recursive: true, force: true });
}

const best = (kind: string) => Math.max(...(results.get(kind) ?? []).map(rate));
const peak = (kind: string) =>
  Math.max(...(results.get(kind) ?? []).map((run) => run.rssGrowthBytes));
console.log('\nsummary (best MB/s of the rounds, highest RSS growth)');
for (const [driver, baseline, label] of [
  ['fs-driver', 'fs-baseline', 'filesystem'],
  ['s3-driver', 's3-baseline', 'S3'],
] as const) {
  const ratio = best(driver) / best(baseline);
  console.log(
    `${label.padEnd(11)} driver ${best(driver).toFixed(1)} MB/s, baseline ${best(baseline).toFixed(1)} MB/s, ratio ${ratio.toFixed(2)} (target ≥ 0.70 ${ratio >= 0.7 ? 'met' : 'MISSED'}); ` +
      `driver RSS growth ${formatMegabytes(peak(driver))} (target < 64 MB ${peak(driver) < 64 * mebibyte ? 'met' : 'MISSED'}), baseline ${formatMegabytes(peak(baseline))}`,
  );
}

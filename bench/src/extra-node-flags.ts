/**
 * Extra Node flags for a bench's child process, from the variable `name` (BENCH_API_NODE_OPTIONS,
 * BENCH_WORKER_NODE_OPTIONS), split on spaces: a look inside (`--cpu-prof --cpu-prof-dir=…`,
 * `--trace-gc`) without editing the bench.
 */
export function extraNodeFlags(name: string): string[] {
  return (process.env[name] ?? '').split(' ').filter(Boolean);
}

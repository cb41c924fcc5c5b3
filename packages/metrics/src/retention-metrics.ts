import { Counter, type Registry } from 'prom-client';

/** Records what the fleet's retention passes removed in this process. */
export interface RetentionMetrics {
  /** One pass's report: a count per kind (`conversations`, `batches`, `blobs`, `blobBytes`, …). */
  record(report: Readonly<Record<string, number>>): void;
}

export function retentionMetrics(registry: Registry): RetentionMetrics {
  const removed = new Counter({
    name: 'llmq_retention_removed_total',
    help: 'What retention passes in this process removed, by kind (blobBytes counts bytes)',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const passes = new Counter({
    name: 'llmq_retention_passes_total',
    help: 'Retention passes this process ran (one process of the fleet runs each)',
    registers: [registry],
  });
  return {
    record(report) {
      passes.inc();
      for (const [kind, count] of Object.entries(report)) {
        if (count > 0) removed.inc({ kind }, count);
      }
    },
  };
}

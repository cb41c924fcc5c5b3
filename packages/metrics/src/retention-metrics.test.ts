import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { retentionMetrics } from './retention-metrics.ts';

describe('retentionMetrics', () => {
  it('adds each pass’s removals by kind and counts the passes', async () => {
    const registry = new Registry();
    const metrics = retentionMetrics(registry);
    metrics.record({ conversations: 2, batches: 0, blobs: 3, blobBytes: 1_024 });
    metrics.record({ conversations: 1, batches: 0, blobs: 0, blobBytes: 0 });
    const text = await registry.metrics();
    expect(text).toContain('llmq_retention_removed_total{kind="conversations"} 3');
    expect(text).toContain('llmq_retention_removed_total{kind="blobs"} 3');
    expect(text).toContain('llmq_retention_removed_total{kind="blobBytes"} 1024');
    expect(text).not.toContain('kind="batches"');
    expect(text).toContain('llmq_retention_passes_total 2');
  });
});

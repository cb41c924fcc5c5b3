import { getPrompt, getStoredSchema } from '@llmq/db';
import { waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';

const harness = useEngineHarness();

const schema = {
  type: 'object',
  properties: { vendor: { type: 'string' }, total: { type: 'number' } },
  required: ['vendor', 'total'],
};

async function ended(promptId: string) {
  const { database } = harness();
  await waitFor(async () => {
    const row = await getPrompt(database.db, promptId);
    return row !== undefined && ['succeeded', 'failed', 'cancelled'].includes(row.status);
  }, `prompt ${promptId} to end`);
  return (await getPrompt(database.db, promptId)) as NonNullable<
    Awaited<ReturnType<typeof getPrompt>>
  >;
}

describe('a prompt with a schema', () => {
  it('stores the answer as data and puts it on the done event', async () => {
    harness().startWorker();
    const id = await harness().enqueue({ prompt: 'extract', schema });
    const row = await ended(id);
    expect(row).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      data: { vendor: 'vendor', total: 0 },
    });
    expect(JSON.parse(row.response ?? '')).toEqual(row.data);
    // Stored as json, not jsonb (which sorts keys shortest first): the model's order stays.
    expect(Object.keys(row.data as object)).toEqual(['vendor', 'total']);
    const stored = await getStoredSchema(harness().database.db, row.schemaId ?? '');
    expect(JSON.stringify(stored?.content)).toBe(JSON.stringify(schema));
    const log = await harness().deps.events.read(id);
    expect(log.at(-1)?.event).toMatchObject({ type: 'done', data: { vendor: 'vendor', total: 0 } });
  });

  it('fails an answer that does not match after exactly two attempts (one retry)', async () => {
    harness().startWorker();
    const id = await harness().enqueue({ prompt: '{"vendor": 42}', schema });
    const row = await ended(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 2, errorKind: 'SchemaMismatchError' });
    expect(row.error).toBe(
      "The answer does not match the prompt's schema: / must have required property 'total'",
    );
    expect(row.data).toBeNull();
    const log = await harness().deps.events.read(id);
    expect(log.filter((entry) => entry.event.type === 'restart')).toHaveLength(1);
    expect(log.at(-1)?.event).toMatchObject({
      type: 'error',
      status: 'failed',
      error: { kind: 'SchemaMismatchError' },
    });
  });

  it('spends its schema retry only on mismatches, not on an attempt that failed otherwise', async () => {
    harness().startWorker();
    // Attempt 1: a retryable model error; attempts 2 and 3: the answer does not match.
    const id = await harness().enqueue({
      prompt: '{"vendor": 42}',
      options: { fail: 'retryable', fail_attempts: 1 },
      schema,
    });
    const row = await ended(id);
    expect(row).toMatchObject({
      status: 'failed',
      attempts: 3,
      errorKind: 'SchemaMismatchError',
      schemaMismatches: 1,
    });
  });

  it('fails at the first mismatch when LLMQ_SCHEMA_RETRIES is 0', async () => {
    harness().startWorker(10, { schemaRetries: 0 });
    const id = await harness().enqueue({ prompt: '{"n": 1}', schema: { type: 'string' } });
    const row = await ended(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, errorKind: 'SchemaMismatchError' });
    expect(row.error).toMatch(/ must be string$/);
  });
});

describe('reasoning', () => {
  it('goes to the log as reasoning entries before the chunks, and is stored', async () => {
    harness().startWorker();
    const reasoning = 'First I read the prompt. Then I answer it.';
    const id = await harness().enqueue({
      prompt: 'hello',
      options: { reasoning, chunk_size: 5 },
    });
    const row = await ended(id);
    expect(row.reasoning).toBe(reasoning);
    const log = await harness().deps.events.read(id);
    const types = log.map((entry) => entry.event.type);
    expect(types.lastIndexOf('reasoning')).toBeLessThan(types.indexOf('chunk'));
    const streamed = log
      .map((entry) => (entry.event.type === 'reasoning' ? entry.event.text : ''))
      .join('');
    expect(streamed).toBe(reasoning);
  });
});

import { newId } from '@llmq/core';
import { count } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createQueuedPrompt } from './create-queued-prompt.ts';
import { drivers, useDatabase } from './database.fixture.ts';
import { insertSchemas } from './insert-schemas.ts';
import { markPromptsRunning } from './prompt-attempt-batches.ts';
import { requeuePrompt } from './prompt-attempts.ts';
import { schemas } from './schema.ts';
import { getStoredSchema } from './stored-schemas.ts';

describe.each(drivers)('stored schemas and schema retries on %s', (driver) => {
  const database = useDatabase(driver);

  it('stores more schemas at once than PostgreSQL takes parameters, keys in their order', async () => {
    const { db } = database();
    const many = Array.from({ length: 33_000 }, (_, index) => ({
      id: `${driver}-${index}`,
      content: { type: 'object', title: `schema ${index}`, $comment: 'z before a' },
    }));
    await insertSchemas(db, many);
    // Stored already: left as it is.
    await insertSchemas(db, many.slice(0, 10));
    const [stored] = await db.select({ rows: count() }).from(schemas);
    expect(stored?.rows).toBe(33_000);
    const last = await getStoredSchema(db, `${driver}-32999`);
    expect(JSON.stringify(last?.content)).toBe(
      '{"type":"object","title":"schema 32999","$comment":"z before a"}',
    );
  });

  it('counts the attempts whose answer did not match the schema, and only those', async () => {
    const { db } = database();
    const id = newId();
    await createQueuedPrompt(db, {
      id,
      model: 'echo',
      prompt: 'hello',
      options: {},
      conversationId: newId(),
      attachments: [],
    });
    const failures = [
      { errorKind: 'ModelError', error: 'provider exploded' },
      { errorKind: 'SchemaMismatchError', error: 'no match' },
      { errorKind: 'SchemaMismatchError', error: 'no match again' },
    ];
    const seen: number[] = [];
    for (const [index, failure] of failures.entries()) {
      const claimed = await markPromptsRunning(db, [{ id, attempt: index + 1 }]);
      seen.push(claimed.get(id)?.schemaMismatches ?? -1);
      await requeuePrompt(db, id, index + 1, failure);
    }
    const claimed = await markPromptsRunning(db, [{ id, attempt: 4 }]);
    seen.push(claimed.get(id)?.schemaMismatches ?? -1);
    expect(seen).toEqual([0, 0, 1, 2]);
  });
});

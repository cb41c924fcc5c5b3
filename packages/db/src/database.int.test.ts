import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@llmq/core';
import { createTestDatabase } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { createQueuedPrompt } from './create-queued-prompt.ts';
import { createDatabase } from './database.ts';
import { DatabaseConfigError, DatabaseUnavailableError } from './database-errors.ts';
import { getPrompt } from './get-prompt.ts';

describe('createDatabase', () => {
  it('migrates safely when several processes start at once', async () => {
    const testDatabase = await createTestDatabase();
    const handles = await Promise.all(
      Array.from({ length: 4 }, () => createDatabase(testDatabase.url)),
    );
    try {
      await Promise.all(handles.map((handle) => handle.migrate()));
      await handles[0]?.migrate();
      const first = handles[0];
      if (!first) throw new Error('no handle');
      const id = newId();
      await createQueuedPrompt(first.db, {
        id,
        model: 'echo',
        prompt: 'x',
        options: {},
        conversationId: newId(),
        attachments: [],
      });
      expect(await getPrompt(first.db, id)).toBeDefined();
    } finally {
      await Promise.all(handles.map((handle) => handle.close()));
      await testDatabase.drop();
    }
  });

  it('keeps the embedded database under the data dir across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'llmq-pglite-'));
    const id = newId();
    try {
      const first = await createDatabase(undefined, { dataDir });
      await first.migrate();
      await createQueuedPrompt(first.db, {
        id,
        model: 'echo',
        prompt: 'persisted',
        options: {},
        conversationId: newId(),
        attachments: [],
      });
      await first.close();
      const second = await createDatabase(undefined, { dataDir });
      await second.migrate();
      expect((await getPrompt(second.db, id))?.prompt).toBe('persisted');
      expect(second.location).toBe(`PGlite at ${join(dataDir, 'pglite')}`);
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    ['not a URL', 'llmq-database', /DATABASE_URL is not a valid URL/],
    ['another scheme', 'mysql://localhost/llmq', /DATABASE_URL must start with postgres:\/\//],
  ])('refuses %s with an error naming DATABASE_URL', async (_case, url, message) => {
    await expect(createDatabase(url)).rejects.toThrow(DatabaseConfigError);
    await expect(createDatabase(url)).rejects.toThrow(message);
  });

  it('says which database it could not reach and what to check', async () => {
    const handle = await createDatabase('postgres://user:secret@127.0.0.1:9/llmq');
    try {
      const error = await handle.ping().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(DatabaseUnavailableError);
      expect((error as Error).message).toMatch(
        /^Could not use the database at postgres:\/\/127\.0\.0\.1:9\/llmq \(DATABASE_URL\): .*is PostgreSQL running/,
      );
      expect((error as Error).message).not.toContain('secret');
      await expect(handle.migrate()).rejects.toThrow(DatabaseUnavailableError);
    } finally {
      await handle.close();
    }
  });

  it('names a database that does not exist', async () => {
    const handle = await createDatabase(`postgres://127.0.0.1:5432/llmq_missing_${newId()}`);
    try {
      await expect(handle.ping()).rejects.toThrow(/create the database or fix the name/);
    } finally {
      await handle.close();
    }
  });
});

import { newId } from '@llmq/core';
import * as database from '@llmq/db';
import { createTestDatabase, type TestDatabase } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConflictError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { updateApiKey } from './update-api-key.ts';

// The key as another change left it a moment before this one wrote: read stale here.
const staleRows = new Map<string, database.ApiKeyRow>();
vi.mock('@llmq/db', async (original) => {
  const actual = await original<typeof import('@llmq/db')>();
  return {
    ...actual,
    getApiKey: async (db: database.Database, id: string) =>
      staleRows.get(id) ?? actual.getApiKey(db, id),
  };
});

let testDatabase: TestDatabase;
let handle: database.DatabaseHandle;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  handle = await database.createDatabase(testDatabase.url, { maxConnections: 2 });
  await handle.migrate();
});

afterAll(async () => {
  await handle.close();
  await testDatabase.drop();
});

describe('updateApiKey', () => {
  it('answers a change that races another into a budget without its period with a conflict', async () => {
    const key = await database.createApiKey(handle.db, {
      id: newId(),
      name: 'raced',
      keyHash: newId(),
      owner: 'racers',
    });
    // Read here with a period (set a moment ago), which another change has cleared since.
    staleRows.set(key.id, { ...key, budgetPeriod: 'day' });
    const services = { db: handle.db } as unknown as PromptServices;
    await expect(updateApiKey(services, key.id, { budget_usd: 5 })).rejects.toBeInstanceOf(
      ConflictError,
    );
    expect(await database.getApiKey(handle.db, key.id)).toMatchObject({ budgetUsd: null });
  });
});

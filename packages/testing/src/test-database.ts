import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { testEnvironment } from './env.ts';

export interface TestDatabase {
  /** A URL to a new, empty database of its own. */
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh PostgreSQL database for one test file, so runs never see each other's rows. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `llmq_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(testEnvironment.postgresAdminUrl, { max: 1, onnotice: () => undefined });
  try {
    await admin.unsafe(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testEnvironment.postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: async () => {
      const dropper = postgres(testEnvironment.postgresAdminUrl, {
        max: 1,
        onnotice: () => undefined,
      });
      try {
        await dropper.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

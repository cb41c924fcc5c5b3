import { type CreateDatabaseOptions, createDatabase } from '@llmq/db';

/**
 * Open the database, apply the committed migrations and close it: the one-shot migration job.
 * Returns where the database is (for the log).
 */
export async function migrateDatabase(
  url: string | undefined,
  options: CreateDatabaseOptions,
): Promise<string> {
  const database = await createDatabase(url, options);
  await database.migrate();
  await database.close();
  return database.location;
}

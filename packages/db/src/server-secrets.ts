import { randomBytes } from 'node:crypto';
import { type FailureTraits, LlmqError } from '@llmq/core';
import { eq } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import { serverSecrets } from './tables/server-secrets-table.ts';

/**
 * The fleet's secret called `name`, generated here (`bytes` random bytes) if no process has
 * made it yet. Every process offers its own and the first insert wins (`on conflict do
 * nothing`), then each reads back the stored one: all of them sign with the same bytes, and a
 * restart, a Redis flush or a failover keeps them.
 */
export async function sharedServerSecret(
  db: DatabaseExecutor,
  name: string,
  bytes = 32,
): Promise<Buffer> {
  await db
    .insert(serverSecrets)
    .values({ name, value: randomBytes(bytes).toString('base64') })
    .onConflictDoNothing({ target: serverSecrets.name });
  const [row] = await db
    .select({ value: serverSecrets.value })
    .from(serverSecrets)
    .where(eq(serverSecrets.name, name));
  // Nothing deletes these rows: only someone removing it by hand between the two statements.
  if (!row) throw new ServerSecretLostError(`The server secret ${name} vanished as it was read`);
  return Buffer.from(row.value, 'base64');
}

/** A shared secret's row was removed between its insert and its read: start again. */
export class ServerSecretLostError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'server-secret-lost',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'ServerSecretLostError';
}

import { createHmac } from 'node:crypto';
import { createDatabase, type DatabaseHandle, serverSecrets } from '@llmq/db';
import { createTestDatabase, type TestDatabase } from '@llmq/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWebhookSigner, webhookSecretName } from './webhook-secret.ts';

describe('the webhook signing key', () => {
  let testDatabase: TestDatabase;
  // Two handles, as two processes of a fleet would open.
  let handles: DatabaseHandle[] = [];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    handles = await Promise.all(
      [1, 2].map(() => createDatabase(testDatabase.url, { maxConnections: 2 })),
    );
    await handles[0]?.migrate();
  });

  afterAll(async () => {
    await Promise.all(handles.map((handle) => handle.close()));
    await testDatabase.drop();
  });

  const db = (index: number) => (handles[index] as DatabaseHandle).db;

  it('without a configured or server secret, is generated once in PostgreSQL and shared', async () => {
    const sources = { configured: undefined, serverSecret: undefined };
    const [one, two] = await Promise.all([
      resolveWebhookSigner({ ...sources, db: db(0) }),
      resolveWebhookSigner({ ...sources, db: db(1) }),
    ]);
    expect(one?.secret).toBe(two?.secret);
    const [row] = await db(0)
      .select()
      .from(serverSecrets)
      .where(eq(serverSecrets.name, webhookSecretName));
    expect(one?.secret).toBe(`whsec_${row?.value}`);
    // A process started later signs with the same key.
    expect((await resolveWebhookSigner({ ...sources, db: db(1) })).secret).toBe(one?.secret);
  });

  it('prefers LLMQ_WEBHOOK_SECRET, then a key derived from the server secret', async () => {
    const configured = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
    const serverSecret = Buffer.alloc(32, 9);
    expect((await resolveWebhookSigner({ configured, serverSecret, db: db(0) })).secret).toBe(
      configured,
    );
    const derived = createHmac('sha256', serverSecret)
      .update('llmq webhook signing key')
      .digest('base64');
    expect(
      (await resolveWebhookSigner({ configured: undefined, serverSecret, db: db(0) })).secret,
    ).toBe(`whsec_${derived}`);
  });
});

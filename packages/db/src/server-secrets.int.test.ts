import { describe, expect, it } from 'vitest';
import { drivers, useDatabase } from './database.fixture.ts';
import { serverSecrets } from './schema.ts';
import { sharedServerSecret } from './server-secrets.ts';

describe.each(drivers)('shared server secrets on %s', (driver) => {
  const database = useDatabase(driver);
  const db = () => database().db;

  it('generates a secret once: concurrent and later callers all get the first one stored', async () => {
    const offered = await Promise.all(
      Array.from({ length: 8 }, () => sharedServerSecret(db(), 'signing')),
    );
    const [first] = offered;
    expect(first).toHaveLength(32);
    for (const secret of offered) expect(secret.equals(first as Buffer)).toBe(true);
    expect((await sharedServerSecret(db(), 'signing')).equals(first as Buffer)).toBe(true);

    const rows = await db().select().from(serverSecrets);
    expect(rows.filter((row) => row.name === 'signing')).toHaveLength(1);
    expect(Buffer.from(rows[0]?.value ?? '', 'base64').equals(first as Buffer)).toBe(true);

    // Another name is another secret.
    const other = await sharedServerSecret(db(), 'other', 16);
    expect(other).toHaveLength(16);
    expect(other.equals((first as Buffer).subarray(0, 16))).toBe(false);
  });
});

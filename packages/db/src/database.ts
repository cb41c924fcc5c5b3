import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { DatabaseConfigError, DatabaseUnavailableError } from './database-errors.ts';
import { postgresSocketFactory } from './postgres-socket.ts';
import { preparedByDefault } from './prepared-by-default.ts';
import { schema } from './schema.ts';

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
/** A transaction of a `Database`. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** Anything queries can run on: the database, or a transaction of it. */
export type DatabaseExecutor = Database | Transaction;

export interface DatabaseHandle {
  readonly db: Database;
  readonly driver: 'postgres' | 'pglite';
  /** Where it is, without credentials, for logs and errors. */
  readonly location: string;
  /** Apply the committed migrations; safe when several processes start at once. */
  migrate(): Promise<void>;
  /** Check that the database answers; `DatabaseUnavailableError` when it does not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Where the embedded database lives when no URL is given (default `./.llmq`). */
  readonly dataDir?: string;
  /** Connections in the postgres.js pool. */
  readonly maxConnections?: number;
}

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));
/** Any constant works; this one is "llmq" in ASCII, so other tools' locks do not collide. */
const migrationLockKey = 0x6c6c6d71;

/**
 * Open the database: postgres.js for a `postgres://` URL; PGlite stored under the data dir when
 * no URL is given (`memory://` keeps it in memory, for tests). PostgreSQL connects when first
 * used.
 */
export async function createDatabase(
  url: string | undefined,
  options: CreateDatabaseOptions = {},
): Promise<DatabaseHandle> {
  if (!url) {
    const dataDir = join(options.dataDir ?? '.llmq', 'pglite');
    mkdirSync(dataDir, { recursive: true });
    return pgliteHandle(dataDir, `PGlite at ${dataDir}`);
  }
  if (url === 'memory://') return pgliteHandle(undefined, 'PGlite in memory');
  return postgresHandle(url, options.maxConnections ?? 10);
}

/**
 * PGlite is imported only when used: loading it costs some 160 MB of memory, which a process
 * on PostgreSQL should not pay.
 */
async function pgliteHandle(
  dataDir: string | undefined,
  location: string,
): Promise<DatabaseHandle> {
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  const client: PGlite = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    driver: 'pglite',
    location,
    migrate: async () => {
      await migratePglite(db as never, { migrationsFolder });
    },
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

function postgresHandle(url: string, maxConnections: number): DatabaseHandle {
  const location = describePostgresUrl(url);
  const sql = postgres(url, {
    max: maxConnections,
    // An unreachable host fails a waiting query within this many seconds (the api's 503).
    connect_timeout: 3,
    // postgres.js documents the `socket` option but its types lack it.
    ...({ socket: postgresSocketFactory() } as object),
    // The driver's default waits up to 20 s between reconnects, counting failures across the
    // pool: after a short outage the service would stay idle long after PostgreSQL is back.
    // Capped at 1 s, work resumes within a second of its return.
    backoff: (failures: number) => Math.min(0.05 * 2 ** failures, 1),
    onnotice: () => undefined,
  });
  const db = drizzlePostgres(preparedByDefault(sql), { schema }) as unknown as Database;
  const unavailable = (error: unknown) => toUnavailable(error, location);
  return {
    db,
    driver: 'postgres',
    location,
    migrate: async () => {
      let reserved: postgres.ReservedSql | undefined;
      try {
        reserved = await sql.reserve();
        // A session lock held on one connection while drizzle migrates on the others: a
        // second process waits here, then finds every migration applied.
        await reserved`select pg_advisory_lock(${migrationLockKey})`;
        await migratePostgres(db as never, { migrationsFolder });
      } catch (error) {
        throw isConnectionError(error) ? unavailable(error) : error;
      } finally {
        if (reserved) {
          await reserved`select pg_advisory_unlock(${migrationLockKey})`.catch(() => undefined);
          reserved.release();
        }
      }
    },
    ping: async () => {
      try {
        await sql`select 1`;
      } catch (error) {
        throw unavailable(error);
      }
    },
    close: async () => {
      await sql.end({ timeout: 5 });
    },
  };
}

/** The URL without its password, or a configuration error naming what is wrong. */
function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseConfigError(
      'DATABASE_URL is not a valid URL: give postgres://user:password@host:5432/database, ' +
        'or leave it unset for the embedded database',
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseConfigError(
      `DATABASE_URL must start with postgres:// (it starts with ${parsed.protocol}//): ` +
        'give postgres://user:password@host:5432/database, or leave it unset for the embedded database',
    );
  }
  if (!parsed.hostname) {
    throw new DatabaseConfigError(
      'DATABASE_URL has no host: give postgres://user@host:5432/database',
    );
  }
  const database = parsed.pathname.replace(/^\//, '') || '(default database)';
  return `postgres://${parsed.hostname}:${parsed.port || '5432'}/${database}`;
}

const connectionCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin shutdown
  '57P03', // cannot connect now (starting up)
  '3D000', // database does not exist
  '28P01', // password authentication failed
  '28000', // no pg_hba.conf entry
]);

export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && connectionCodes.has(code);
}

function toUnavailable(error: unknown, location: string): DatabaseUnavailableError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Error ? error.message : String(error);
  const hint =
    code === '3D000'
      ? 'create the database or fix the name in DATABASE_URL'
      : code === '28P01' || code === '28000'
        ? 'check the user and password in DATABASE_URL'
        : 'is PostgreSQL running and DATABASE_URL right?';
  return new DatabaseUnavailableError(
    `Could not use the database at ${location} (DATABASE_URL): ${reason}; ${hint}`,
    { cause: error },
  );
}

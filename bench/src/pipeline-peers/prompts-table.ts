import { createTestDatabase, type TestDatabase } from '@llmq/testing';
import postgres from 'postgres';
import { echoAnswer, promptText } from './echo-answer.ts';

export interface PromptRow {
  readonly id: number;
  readonly prompt: string;
}

/**
 * A peer's own database with the table a hand-rolled user would keep: one row per prompt,
 * its result filled in when answered (primary key only, no other index).
 */
export class PromptsTable {
  readonly database: TestDatabase;
  readonly sql: postgres.Sql;
  /** The database's URL with the user named, for node-postgres (which does not default it). */
  readonly url: string;

  private constructor(database: TestDatabase, sql: postgres.Sql, url: string) {
    this.database = database;
    this.sql = sql;
    this.url = url;
  }

  static async create(maxConnections = 10): Promise<PromptsTable> {
    const database = await createTestDatabase();
    const sql = postgres(database.url, { max: maxConnections, onnotice: () => undefined });
    await sql`create table prompts (id bigint primary key, prompt text not null, result text)`;
    const url = new URL(database.url);
    if (!url.username) {
      const [row] = await sql<{ user: string }[]>`select current_user as user`;
      url.username = String(row?.user);
    }
    return new PromptsTable(database, sql, url.toString());
  }

  /** Rows inserted in one statement per chunk. */
  async insert(rows: readonly PromptRow[]): Promise<void> {
    await this.sql`insert into prompts ${this.sql(
      rows.map((row) => ({ ...row })),
      'id',
      'prompt',
    )}`;
  }

  async storeResult(id: number, result: string): Promise<void> {
    await this.sql`update prompts set result = ${result} where id = ${id}`;
  }

  /** Many results in one UPDATE … FROM (VALUES …). */
  async storeResults(results: readonly { id: number; result: string }[]): Promise<void> {
    const values = results.map(({ id, result }) => [String(id), result]);
    await this.sql`
      update prompts set result = answered.result
      from (values ${this.sql(values)}) as answered (id, result)
      where prompts.id = answered.id::bigint`;
  }

  /** Every one of `jobs` prompts answered, and a few exactly as echo answers them. */
  async verify(jobs: number): Promise<void> {
    const [counted] = await this.sql<{ answered: string }[]>`
      select count(*) as answered from prompts where result is not null`;
    if (Number(counted?.answered) !== jobs) {
      throw new Error(`${counted?.answered} of ${jobs} prompts answered`);
    }
    await verifySample(jobs, async (index) => {
      const [row] = await this.sql<{ result: string }[]>`
        select result from prompts where prompt = ${promptText(index)}`;
      return row?.result;
    });
  }

  async close(): Promise<void> {
    await this.sql.end();
    await this.database.drop();
  }
}

/** Checks the first, middle and last prompt's stored answer against echo's. */
export async function verifySample(
  jobs: number,
  storedAnswer: (index: number) => Promise<string | undefined>,
): Promise<void> {
  for (const index of new Set([0, Math.floor(jobs / 2), jobs - 1])) {
    const expected = await echoAnswer(promptText(index));
    const stored = await storedAnswer(index);
    if (stored !== expected) {
      throw new Error(`prompt ${index} stored ${JSON.stringify(stored)}, echo says ${expected}`);
    }
  }
}

/** The bench's prompts in chunks of `size`, ids from 1. */
export function* promptChunks(jobs: number, size = 1_000): Generator<PromptRow[]> {
  for (let start = 0; start < jobs; start += size) {
    yield Array.from({ length: Math.min(size, jobs - start) }, (_, offset) => ({
      id: start + offset + 1,
      prompt: promptText(start + offset),
    }));
  }
}

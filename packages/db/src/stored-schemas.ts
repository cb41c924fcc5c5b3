import { and, desc, eq, exists, or, type SQL, sql } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { batches, responses, type SchemaRow, schemas } from './schema.ts';

/** A stored schema by id, whoever uses it: what a worker runs a prompt with. */
export async function getStoredSchema(
  db: DatabaseExecutor,
  id: string,
): Promise<SchemaRow | undefined> {
  const [row] = await db.select().from(schemas).where(eq(schemas.id, id)).limit(1);
  return row;
}

/**
 * A stored schema an owner may see: one that a prompt or batch of theirs uses (content is
 * shared by hash, as attachments are, so naming a hash tells nothing of other owners).
 */
export async function getVisibleSchema(
  db: DatabaseExecutor,
  id: string,
  owner: OwnerScope,
): Promise<SchemaRow | undefined> {
  const [row] = await db
    .select()
    .from(schemas)
    .where(and(eq(schemas.id, id), usedBy(db, owner)))
    .limit(1);
  return row;
}

/**
 * The schemas an owner's prompts or batches use, newest stored first, paged by id (the page
 * goes on after the cursor's place in that order).
 */
export async function listSchemas(
  db: DatabaseExecutor,
  filter: { owner?: OwnerScope; cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ items: SchemaRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const after = filter.cursor
    ? sql`(${schemas.createdAt}, ${schemas.id}) < (select created_at, id from schemas where id = ${filter.cursor})`
    : undefined;
  const rows = await db
    .select()
    .from(schemas)
    .where(and(usedBy(db, filter.owner), after))
    .orderBy(desc(schemas.createdAt), desc(schemas.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

/** A schema some prompt or batch of the owner links (every owner's, for `undefined`). */
function usedBy(db: DatabaseExecutor, owner: OwnerScope): SQL | undefined {
  if (owner === undefined) return undefined;
  // One entry of the partial index on responses (schema_id, owner, id); batches are few per owner.
  const prompt = db
    .select({ one: sql`1` })
    .from(responses)
    .where(and(eq(responses.schemaId, schemas.id), ownedByScope(responses.owner, owner)));
  const batch = db
    .select({ one: sql`1` })
    .from(batches)
    .where(and(eq(batches.schemaId, schemas.id), ownedByScope(batches.owner, owner)));
  return or(exists(prompt), exists(batch));
}

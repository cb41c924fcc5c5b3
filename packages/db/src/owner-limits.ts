import { eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerLimitsRow, ownerLimits } from './schema.ts';

/** An owner's limits as an admin sets them: every field, null for no limit. */
export type OwnerLimitValues = Omit<OwnerLimitsRow, 'owner' | 'updatedAt'>;

/** The limits set for an owner, or undefined when none are. */
export async function getOwnerLimits(
  db: Database,
  owner: string,
): Promise<OwnerLimitsRow | undefined> {
  const [row] = await db.select().from(ownerLimits).where(eq(ownerLimits.owner, owner)).limit(1);
  return row;
}

/** Set an owner's limits, replacing any it had. */
export async function putOwnerLimits(
  db: Database,
  owner: string,
  limits: OwnerLimitValues,
): Promise<OwnerLimitsRow> {
  const values = { ...limits, updatedAt: new Date() };
  const [row] = await db
    .insert(ownerLimits)
    .values({ owner, ...values })
    .onConflictDoUpdate({ target: ownerLimits.owner, set: values })
    .returning();
  return row as OwnerLimitsRow;
}

/** Remove an owner's limits; the removed row, or undefined when it had none. */
export async function deleteOwnerLimits(
  db: Database,
  owner: string,
): Promise<OwnerLimitsRow | undefined> {
  const [row] = await db.delete(ownerLimits).where(eq(ownerLimits.owner, owner)).returning();
  return row;
}

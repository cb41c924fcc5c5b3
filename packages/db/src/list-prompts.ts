import type { PromptStatus } from '@llmq/contracts';
import { and, desc, eq, gte, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { responseColumns } from './response-columns.ts';
import { type ResponseRow, responses } from './schema.ts';

export interface ListPromptsFilter {
  /** A full-text query over prompt and response (web search syntax: words, "phrases", -not). */
  readonly q?: string | undefined;
  readonly model?: string | undefined;
  readonly status?: PromptStatus | undefined;
  readonly conversationId?: string | undefined;
  readonly batchId?: string | undefined;
  /** Only prompts whose answer must match this stored schema. */
  readonly schemaId?: string | undefined;
  readonly createdAfter?: Date | undefined;
  readonly createdBefore?: Date | undefined;
  readonly owner?: OwnerScope;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
  readonly limit?: number | undefined;
}

export interface PromptPage {
  readonly items: ResponseRow[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Prompts newest first, filtered. Pages are keyed on the id (a ULID, so time-ordered): rows
 * inserted while a client pages never shift or repeat the pages it has not read yet.
 */
export async function listPrompts(
  db: Database,
  filter: ListPromptsFilter = {},
): Promise<PromptPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const conditions: Array<SQL | undefined> = [
    ownedByScope(responses.owner, filter.owner),
    filter.q ? sql`${responses.search} @@ websearch_to_tsquery('english', ${filter.q})` : undefined,
    filter.model ? eq(responses.model, filter.model) : undefined,
    filter.status ? eq(responses.status, filter.status) : undefined,
    filter.conversationId ? eq(responses.conversationId, filter.conversationId) : undefined,
    filter.batchId ? eq(responses.batchId, filter.batchId) : undefined,
    filter.schemaId ? eq(responses.schemaId, filter.schemaId) : undefined,
    filter.createdAfter ? gte(responses.createdAt, filter.createdAfter) : undefined,
    filter.createdBefore ? lte(responses.createdAt, filter.createdBefore) : undefined,
    filter.cursor ? lt(responses.id, filter.cursor) : undefined,
  ];
  const rows = await db
    .select(responseColumns)
    .from(responses)
    .where(and(...conditions))
    .orderBy(desc(responses.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

import { and, asc, desc, eq, lt, or, type SQL, sql } from 'drizzle-orm';
import { toolResultsOf } from './chain-steps.ts';
import type { Database } from './database.ts';
import {
  attachmentsOf,
  type OwnerScope,
  ownedByScope,
  type PromptWithAttachments,
} from './get-prompt.ts';
import { responseColumns } from './response-columns.ts';
import { type ConversationRow, conversations, responses, type ToolResultRow } from './schema.ts';

/** A turn to replay: its prompt, attachments, the results it carried and its answer. */
export interface ConversationTurn extends PromptWithAttachments {
  /** The results this turn's prompt carried to the model, answering the turn before's calls. */
  readonly toolResults: readonly ToolResultRow[];
}

export interface ConversationWithTurns extends ConversationRow {
  /**
   * Every prompt of the conversation (a chain's steps each as one) in the order it was made,
   * each with its attachments and the tool results it carried.
   */
  readonly turns: readonly ConversationTurn[];
}

/** A conversation with its turns in order, or undefined (also when another owner's). */
export async function getConversation(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<ConversationWithTurns | undefined> {
  const conversation = await findConversation(db, id, owner);
  if (!conversation) return undefined;
  const turns = await withToolResults(db, await turnsOf(db, eq(responses.conversationId, id)));
  return { ...conversation, turns };
}

/** A conversation's own row, without its turns, or undefined (also when another owner's). */
export async function findConversation(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<ConversationRow | undefined> {
  const [conversation] = await db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), ownedByScope(conversations.owner, owner)))
    .limit(1);
  return conversation;
}

/**
 * The succeeded turns before `beforeId`: what a model must be shown again to continue the
 * conversation. Failed and cancelled turns have no answer and are not replayed, nor are the
 * steps of a chain that did not succeed (its calls would have no answer). This is the one read
 * of a conversation for a new turn: the submit checks these turns' attachments against the
 * model and the run replays them, so a turn that is never replayed cannot refuse a prompt.
 *
 * A step of a chain (`before.chainId`) also gets the chain's earlier steps whose answer is
 * stored, though the chain (its first step) is still running.
 */
export async function getConversationHistory(
  db: Database,
  conversationId: string,
  before: TurnPlace,
): Promise<ConversationTurn[]> {
  const replayable = and(
    eq(responses.status, 'succeeded'),
    sql`(${responses.chainId} is null or exists (select 1 from ${responses} as chain_root where chain_root.id = ${responses.chainId} and chain_root.status = 'succeeded'))`,
  );
  // Turns are placed by their chain's first step (ids the api made), steps by their number: a
  // later step's id comes from a worker's clock, which may be behind.
  const earlier = sql`coalesce(${responses.chainId}, ${responses.id}) < ${before.chainId ?? before.id}`;
  const turns = await turnsOf(
    db,
    and(
      eq(responses.conversationId, conversationId),
      before.chainId
        ? or(
            and(earlier, replayable),
            and(
              eq(responses.chainId, before.chainId),
              lt(responses.chainStep, before.chainStep ?? 1),
              sql`${responses.response} is not null`,
            ),
          )
        : and(earlier, replayable),
    ),
  );
  return withToolResults(db, turns);
}

/** Where a new turn goes: its id, and its chain and step when it is a chain's. */
export interface TurnPlace {
  readonly id: string;
  readonly chainId?: string | null | undefined;
  readonly chainStep?: number | null | undefined;
}

async function withToolResults(
  db: Database,
  turns: readonly PromptWithAttachments[],
): Promise<ConversationTurn[]> {
  // Only turns that had tools can have carried results: most conversations pay no read.
  const withTools = turns.filter((turn) => turn.tools !== null).map((turn) => turn.id);
  const results = await toolResultsOf(db, withTools);
  return turns.map((turn) => ({ ...turn, toolResults: results.get(turn.id) ?? [] }));
}

export interface ConversationPage {
  readonly items: ConversationRow[];
  readonly nextCursor: string | null;
}

/** Conversations newest first, paged by id like prompts. */
export async function listConversations(
  db: Database,
  filter: { owner?: OwnerScope; cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<ConversationPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows = await db
    .select()
    .from(conversations)
    .where(
      and(
        ownedByScope(conversations.owner, filter.owner),
        filter.cursor ? lt(conversations.id, filter.cursor) : undefined,
      ),
    )
    .orderBy(desc(conversations.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

/** The newest conversation of an owner, for `llmq -c`. */
export async function latestConversation(
  db: Database,
  owner?: OwnerScope,
): Promise<ConversationRow | undefined> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(ownedByScope(conversations.owner, owner))
    .orderBy(desc(conversations.id))
    .limit(1);
  return row;
}

async function turnsOf(db: Database, condition: SQL | undefined): Promise<PromptWithAttachments[]> {
  const rows = await db
    .select(responseColumns)
    .from(responses)
    .where(condition)
    .orderBy(
      asc(sql`coalesce(${responses.chainId}, ${responses.id})`),
      asc(sql`coalesce(${responses.chainStep}, 1)`),
    );
  const byResponse = await attachmentsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, attachments: byResponse.get(row.id) ?? [] }));
}

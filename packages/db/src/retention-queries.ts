import { sql } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import { releaseFileHolds } from './delete-file.ts';
import { executeRows } from './execute-rows.ts';

/** A timestamp parameter, typed: postgres.js would send an ISO string as text. */
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

const ended = sql`('succeeded', 'failed', 'cancelled')`;
const endedBatch = sql`('completed', 'failed', 'cancelled')`;
/** When a batch stored as ended ended (a batch cancelled before it started has only its creation). */
const batchEnd = sql`coalesce(b.completed_at, b.cancelled_at, b.created_at)`;

/**
 * Conversations whose every turn ended before the cutoff: found through the turns that ended
 * before it (the partial index on completed_at of prompts outside batches), then kept only when
 * no turn is unfinished or newer. Earlier turns a chat request brought along (record-past-turns)
 * ended before they were stored and have no completed_at: their creation counts. A conversation goes whole or not at all, as later turns replay
 * the earlier ones.
 */
export async function conversationsEndedBefore(
  db: DatabaseExecutor,
  cutoff: Date,
  limit: number,
): Promise<string[]> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`select c.id from conversations c
        where c.id in (
          select r.conversation_id from responses r
          where r.batch_id is null and r.completed_at < ${at(cutoff)})
        and not exists (
          select 1 from responses r where r.conversation_id = c.id
          and (r.status not in ${ended}
               or coalesce(r.completed_at, r.created_at) >= ${at(cutoff)}))
        limit ${limit}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Batches whose stored status lags behind their items: not being validated, not stored as ended,
 * and with no item queued or running (one probe of `responses_batch_status_idx` each, as the
 * webhook outbox does). An unread batch stays `running` in the table after its last item ended;
 * retention lists these whatever their end, and `deleteEndedBatch` settles their status (with
 * their items' latest end) under the lock before it checks whether they are due, so each is
 * looked at once rather than at every pass.
 */
const endedByItems = sql`(b.status in ('queued', 'running', 'cancelling')
  and not exists (
    select 1 from responses r where r.batch_id = b.id and r.status in ('queued', 'running')))`;

/** Ended batches that ended before the cutoff, and batches whose items all ended. */
export async function batchesEndedBefore(
  db: DatabaseExecutor,
  cutoff: Date,
  limit: number,
): Promise<string[]> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`select b.id from batches b
        where (b.status in ${endedBatch}
               and ${batchEnd} < ${at(cutoff)})
        or ${endedByItems}
        limit ${limit}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Ended batches whose output expired (the facade's `output_expires_after`), and batches with an
 * output expiry whose items all ended. The column holds the policy as the batch was created with
 * it, `created_at + seconds`; OpenAI anchors the seconds on the output file's creation, which is
 * the batch's end, so the output expires that long after the batch ended.
 */
export async function batchesWithExpiredOutput(
  db: DatabaseExecutor,
  now: Date,
  limit: number,
): Promise<string[]> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`select b.id from batches b
        where b.output_expires_at is not null
        and ((b.status in ${endedBatch}
              and ${batchEnd} + (b.output_expires_at - b.created_at) <= ${at(now)})
             or ${endedByItems})
        limit ${limit}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Delete facade files past their `expires_at`, or made before the cutoff; their ids. In the same
 * statement each owner's hold on the files' bytes goes too, unless another file or a stored
 * prompt of the owner's uses them (see `releaseFileHolds`).
 */
export async function deleteExpiredFiles(
  db: DatabaseExecutor,
  options: { readonly now: Date; readonly cutoff: Date | undefined; readonly limit: number },
): Promise<string[]> {
  const madeBefore = options.cutoff ? sql`or created_at < ${at(options.cutoff)}` : sql``;
  const rows = await executeRows<{ id: string }>(
    db,
    sql`with removed_files as (
          delete from files where id in (
            select id from files where expires_at <= ${at(options.now)} ${madeBefore}
            limit ${options.limit})
          returning id, attachment_id, owner),
        released as (${releaseFileHolds(sql`removed_files`)} returning o.attachment_id)
        select id from removed_files`,
  );
  return rows.map((row) => row.id);
}

/** Delete webhook deliveries (their attempts cascade) that ended before the cutoff. */
export async function deleteEndedWebhookDeliveries(
  db: DatabaseExecutor,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`delete from webhook_deliveries where id in (
          select id from webhook_deliveries
          where status <> 'pending' and ended_at < ${at(cutoff)}
          limit ${limit})
        returning id`,
  );
  return rows.length;
}

/**
 * Take back owners' hold on attachments granted before the cutoff that none of the owner's
 * stored prompts and files uses any more (the unscoped holder, '', stands for prompts and files
 * without an owner). The bytes then go with the next blob collection, unless someone else holds
 * or uses them.
 */
export async function releaseUnusedGrants(
  db: DatabaseExecutor,
  cutoff: Date,
  limit: number,
): Promise<number> {
  const rows = await executeRows<{ attachment_id: string }>(
    db,
    sql`delete from attachment_owners o
        using (
          select g.owner, g.attachment_id from attachment_owners g
          where g.created_at < ${at(cutoff)}
          and not exists (
            select 1 from prompt_attachments pa join responses r on r.id = pa.response_id
            where pa.attachment_id = g.attachment_id
            and r.owner is not distinct from nullif(g.owner, ''))
          and not exists (
            select 1 from files f where f.attachment_id = g.attachment_id
            and f.owner is not distinct from nullif(g.owner, ''))
          limit ${limit}
        ) due
        where o.owner = due.owner and o.attachment_id = due.attachment_id
        returning o.attachment_id`,
  );
  return rows.length;
}

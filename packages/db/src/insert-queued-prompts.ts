import { sql } from 'drizzle-orm';
import type { NewAttachment } from './create-queued-prompt.ts';
import type { DatabaseExecutor } from './database.ts';

export interface BulkPromptInput {
  readonly id: string;
  readonly model: string;
  readonly prompt: string;
  readonly system?: string | null | undefined;
  readonly options: Record<string, unknown>;
  readonly attachments: readonly NewAttachment[];
  readonly batchId?: string | null | undefined;
  readonly batchIndex?: number | null | undefined;
  readonly customId?: string | null | undefined;
  readonly owner?: string | null | undefined;
  /** The owner key that made it (null for admin keys and without keys). */
  readonly apiKeyId?: string | null | undefined;
  /** The stored schema the answer must match (stored in the same transaction first). */
  readonly schemaId?: string | null | undefined;
}

/** Rows per statement: each statement takes its rows as one JSON parameter. */
const rowsPerStatement = 5_000;

/**
 * Insert many queued prompts (without conversations, as batch items are) with their attachment
 * rows and links. Each statement takes its rows as a single JSON parameter expanded by
 * `jsonb_to_recordset`, which costs far less than thousands of bound parameters. Run it inside a
 * transaction to make the whole set appear at once or not at all.
 */
export async function insertQueuedPrompts(
  db: DatabaseExecutor,
  items: readonly BulkPromptInput[],
): Promise<void> {
  for (let start = 0; start < items.length; start += rowsPerStatement) {
    const slice = items.slice(start, start + rowsPerStatement);
    const uniqueAttachments = new Map<string, NewAttachment>();
    for (const item of slice) {
      for (const attachment of item.attachments) uniqueAttachments.set(attachment.id, attachment);
    }
    if (uniqueAttachments.size > 0) {
      const rows = [...uniqueAttachments.values()].map((attachment) => ({
        id: attachment.id,
        type: attachment.type,
        size: attachment.size,
        storage_key: attachment.storageKey,
        url: attachment.url ?? null,
      }));
      await db.execute(sql`
        insert into attachments (id, type, size, storage_key, url)
        select id, type, size, storage_key, url
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
          as v(id text, type text, size bigint, storage_key text, url text)
        on conflict (id) do nothing`);
    }
    const rows = slice.map((item) => ({
      id: item.id,
      model: item.model,
      prompt: item.prompt,
      system: item.system ?? null,
      options: item.options,
      batch_id: item.batchId ?? null,
      batch_index: item.batchIndex ?? null,
      custom_id: item.customId ?? null,
      owner: item.owner ?? null,
      api_key_id: item.apiKeyId ?? null,
      schema_id: item.schemaId ?? null,
    }));
    await db.execute(sql`
      insert into responses (id, model, prompt, system, options, status, batch_id, batch_index, custom_id, owner, api_key_id, schema_id)
      select id, model, prompt, system, options, 'queued', batch_id, batch_index, custom_id, owner, api_key_id, schema_id
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        as v(id text, model text, prompt text, system text, options jsonb, batch_id text,
             batch_index int, custom_id text, owner text, api_key_id text, schema_id text)`);
    const links = slice.flatMap((item) =>
      item.attachments.map((attachment, position) => ({
        response_id: item.id,
        attachment_id: attachment.id,
        position,
      })),
    );
    if (links.length > 0) {
      await db.execute(sql`
        insert into prompt_attachments (response_id, attachment_id, position)
        select response_id, attachment_id, position
        from jsonb_to_recordset(${JSON.stringify(links)}::jsonb)
          as v(response_id text, attachment_id text, position int)`);
    }
  }
}

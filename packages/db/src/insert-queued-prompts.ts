import type { NewAttachment } from './create-queued-prompt.ts';
import type { DatabaseExecutor } from './database.ts';
import { attachments, promptAttachments, responses } from './schema.ts';

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
}

/** Rows per statement: well under PostgreSQL's 65,535 parameters for every table here. */
const rowsPerStatement = 1_000;

/**
 * Insert many queued prompts (without conversations, as batch items are) with their attachment
 * rows and links, a few statements per thousand. Run it inside a transaction to make the
 * whole set appear at once or not at all.
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
      await db
        .insert(attachments)
        .values(
          [...uniqueAttachments.values()].map((attachment) => ({
            id: attachment.id,
            type: attachment.type,
            size: attachment.size,
            storageKey: attachment.storageKey,
            url: attachment.url ?? null,
          })),
        )
        .onConflictDoNothing();
    }
    await db.insert(responses).values(
      slice.map((item) => ({
        id: item.id,
        model: item.model,
        prompt: item.prompt,
        system: item.system ?? null,
        options: item.options,
        status: 'queued' as const,
        batchId: item.batchId ?? null,
        batchIndex: item.batchIndex ?? null,
        customId: item.customId ?? null,
        owner: item.owner ?? null,
      })),
    );
    const links = slice.flatMap((item) =>
      item.attachments.map((attachment, position) => ({
        responseId: item.id,
        attachmentId: attachment.id,
        position,
      })),
    );
    for (let linkStart = 0; linkStart < links.length; linkStart += rowsPerStatement * 5) {
      await db
        .insert(promptAttachments)
        .values(links.slice(linkStart, linkStart + rowsPerStatement * 5));
    }
  }
}

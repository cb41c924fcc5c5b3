import { collectAttachment, collectableAttachmentIds, type Database } from '@llmq/db';
import type { BlobStore } from '@llmq/storage';

export interface BlobCollection {
  /** Attachments whose bytes and row were removed. */
  readonly attachments: number;
  readonly bytes: number;
}

/**
 * Remove every attachment nothing refers to (no prompt, no owner's hold, no facade file) and
 * that nothing stored or linked within `graceMs`: its bytes, then its row, one attachment per
 * transaction (see collectAttachment for the race with uploads of the same bytes). Bytes without
 * a row are not looked for: the upload paths write the row right after the bytes.
 */
export async function collectBlobs(
  services: { readonly db: Database; readonly blobs: BlobStore },
  options: { readonly graceMs: number; readonly chunkSize?: number | undefined },
): Promise<BlobCollection> {
  const chunkSize = options.chunkSize ?? 500;
  let attachments = 0;
  let bytes = 0;
  for (;;) {
    const ids = await collectableAttachmentIds(services.db, {
      graceMs: options.graceMs,
      limit: chunkSize,
    });
    let collected = 0;
    for (const id of ids) {
      let size = 0;
      const removed = await collectAttachment(services.db, id, {
        graceMs: options.graceMs,
        removeBytes: async (attachment) => {
          size = (await services.blobs.stat(attachment.id))?.size ?? 0;
          await services.blobs.delete(attachment.id);
        },
      });
      if (removed) {
        collected += 1;
        bytes += size;
      }
    }
    attachments += collected;
    // A short chunk was the last; one where nothing could be taken would come back the same.
    if (ids.length < chunkSize || collected === 0) break;
  }
  return { attachments, bytes };
}

import { newId } from '@llmq/core';
import { createFile, type FileRow } from '@llmq/db';
import type { PromptServices } from '../services/prompt-services.ts';
import { recordUpload, type UploadedBytes } from './store-upload.ts';

/**
 * Record committed bytes as a file of the OpenAI facade (`file-…`): first as an attachment the
 * owner may see, then as the file row that names it.
 */
export async function recordFile(
  services: Pick<PromptServices, 'db'>,
  bytes: UploadedBytes,
  file: {
    readonly filename: string;
    readonly purpose: string;
    readonly owner: string | null;
    /**
     * How long after its creation the file stops being served and retention removes it
     * (`expires_after`): `expires_at` is the row's `created_at` plus this.
     */
    readonly expiresAfterSeconds?: number | undefined;
  },
): Promise<FileRow> {
  await recordUpload(services, bytes, { owner: file.owner });
  return createFile(services.db, {
    id: `file-${newId()}`,
    filename: file.filename,
    purpose: file.purpose,
    attachmentId: bytes.id,
    bytes: bytes.size,
    owner: file.owner,
    expiresAfterMs:
      file.expiresAfterSeconds === undefined ? undefined : file.expiresAfterSeconds * 1_000,
  });
}

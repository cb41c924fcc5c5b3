import type { FileRow } from '@llmq/db/reads';
import { unixSeconds } from './chat-completion-body.ts';

export interface OpenAIFile {
  readonly id: string;
  readonly bytes: number;
  readonly createdAt: Date;
  readonly filename: string;
  readonly purpose: string;
  /** When the file stops being served (its `expires_after`); null keeps it. */
  readonly expiresAt?: Date | null | undefined;
}

/** A file as OpenAI describes one. */
export function fileBody(file: OpenAIFile) {
  return {
    id: file.id,
    object: 'file' as const,
    bytes: file.bytes,
    created_at: unixSeconds(file.createdAt),
    expires_at: file.expiresAt ? unixSeconds(file.expiresAt) : null,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed' as const,
    status_details: null,
  };
}

export function uploadedFile(row: FileRow): OpenAIFile {
  return {
    id: row.id,
    bytes: row.bytes,
    createdAt: row.createdAt,
    filename: row.filename,
    purpose: row.purpose,
    expiresAt: row.expiresAt,
  };
}

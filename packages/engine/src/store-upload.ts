import { grantAttachments, upsertAttachment } from '@llmq/db';
import { type BlobSource, BlobTooLargeError } from '@llmq/storage';
import type { PromptServices } from './prompt-services.ts';
import { InvalidRequestError, PayloadTooLargeError } from './service-errors.ts';

export interface StoredUpload {
  readonly id: string;
  readonly type: string;
  readonly size: number;
  /** Where the blob store keeps the bytes. */
  readonly storageKey: string;
  /** False when these bytes were stored before. */
  readonly created: boolean;
}

/** Stream uploaded bytes into the blob store and record them as an attachment. */
export async function storeUpload(
  services: Pick<PromptServices, 'db' | 'blobs' | 'limits'>,
  source: BlobSource,
  options: {
    declaredType?: string | undefined;
    url?: string | undefined;
    signal?: AbortSignal | undefined;
    /** Who uploads: they may see these bytes from now on. */
    owner?: string | null | undefined;
  },
): Promise<StoredUpload> {
  const maxBytes = services.limits.maxAttachmentBytes;
  let blob: Awaited<ReturnType<PromptServices['blobs']['put']>>;
  try {
    blob = await services.blobs.put(source, {
      maxBytes,
      declaredType: options.declaredType,
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof BlobTooLargeError) {
      throw new PayloadTooLargeError(
        `The attachment is larger than the limit of ${maxBytes} bytes (LLMQ_MAX_ATTACHMENT_BYTES)`,
      );
    }
    throw error;
  }
  if (blob.size === 0) {
    throw new InvalidRequestError('The upload is empty: send the bytes of the file as the body');
  }
  const type = blob.type ?? 'application/octet-stream';
  const { created } = await upsertAttachment(services.db, {
    id: blob.id,
    type,
    size: blob.size,
    storageKey: blob.key,
    url: options.url,
  });
  await grantAttachments(services.db, [blob.id], options.owner);
  return { id: blob.id, type, size: blob.size, storageKey: blob.key, created };
}

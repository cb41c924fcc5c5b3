import { grantAttachments, touchAttachment, upsertAttachment } from '@llmq/db';
import { type BlobSource, BlobTooLargeError } from '@llmq/storage';
import { PayloadTooLargeError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';

/** Bytes in the blob store, not yet an attachment anyone can see. */
export interface UploadedBytes {
  readonly id: string;
  readonly type: string;
  readonly size: number;
  /** Where the blob store keeps the bytes. */
  readonly storageKey: string;
}

export interface StoredUpload extends UploadedBytes {
  /**
   * False when this owner had these bytes before (uploaded or used them); true otherwise, even
   * when another owner stored the same bytes first, which is no business of this one's.
   */
  readonly created: boolean;
}

/** Uploaded bytes staged in the blob store: readable by no one until committed. */
export interface StagedUpload extends UploadedBytes {
  /** Put the bytes at their content address, once the request that brought them is accepted. */
  commit(): Promise<UploadedBytes>;
  /** Remove them: the request was refused. */
  discard(): Promise<void>;
}

/**
 * Stream uploaded bytes into the blob store. An empty upload (`BlobEmptyError`), one over the
 * limit (`PayloadTooLargeError`) or of no known type (`BlobTypeUnknownError`) is refused with
 * nothing written.
 */
export async function storeUploadBytes(
  services: Pick<PromptServices, 'db' | 'blobs' | 'limits'>,
  source: BlobSource,
  options: { declaredType?: string | undefined; signal?: AbortSignal | undefined },
): Promise<UploadedBytes> {
  return (await stageUploadBytes(services, source, options)).commit();
}

/**
 * Like `storeUploadBytes`, but the bytes stay staged until `commit`: a request whose other
 * parts may still refuse it (a later file, a form field after the file) stages, then commits
 * or discards, so a refusal leaves no blob behind.
 */
export async function stageUploadBytes(
  services: Pick<PromptServices, 'db' | 'blobs' | 'limits'>,
  source: BlobSource,
  options: { declaredType?: string | undefined; signal?: AbortSignal | undefined },
): Promise<StagedUpload> {
  const maxBytes = services.limits.maxAttachmentBytes;
  try {
    const staged = await services.blobs.stage(source, {
      maxBytes,
      declaredType: options.declaredType,
      signal: options.signal,
      refuseEmpty: true,
    });
    const type = staged.type ?? 'application/octet-stream';
    const bytes = { id: staged.id, type, size: staged.size, storageKey: staged.key };
    return {
      ...bytes,
      commit: async () => {
        // Touched before the bytes are written or found there: a blob collection under way
        // ends first (and the commit writes the bytes again), and none starts for the grace
        // period (see collectAttachment).
        await touchAttachment(services.db, staged.id);
        await staged.commit();
        return bytes;
      },
      discard: staged.discard,
    };
  } catch (error) {
    if (error instanceof BlobTooLargeError) {
      throw new PayloadTooLargeError(
        `The attachment is larger than the limit of ${maxBytes} bytes (LLMQ_MAX_ATTACHMENT_BYTES)`,
      );
    }
    throw error;
  }
}

/** Record stored bytes as an attachment the owner may see from now on. */
export async function recordUpload(
  services: Pick<PromptServices, 'db'>,
  bytes: UploadedBytes,
  options: {
    url?: string | undefined;
    /** Who uploads: they may see these bytes from now on. */
    owner?: string | null | undefined;
  },
): Promise<StoredUpload> {
  const recorded = await upsertAttachment(services.db, {
    id: bytes.id,
    type: bytes.type,
    size: bytes.size,
    storageKey: bytes.storageKey,
    url: options.url,
  });
  const granted = await grantAttachments(services.db, [bytes.id], options.owner);
  // With owners, whether the row existed would tell any owner what the others uploaded: only
  // this owner's own access counts. Without owners (no keys) there is no one else to tell of.
  const created = options.owner ? granted.has(bytes.id) : recorded.created;
  return { ...bytes, created };
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
  return recordUpload(services, await storeUploadBytes(services, source, options), options);
}

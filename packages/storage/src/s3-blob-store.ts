import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import {
  BlobEmptyError,
  BlobNotFoundError,
  BlobTooLargeError,
  StorageUnavailableError,
} from './blob-errors.ts';
import { meterOf } from './blob-meter.ts';
import {
  type BlobRead,
  type BlobSource,
  type BlobStore,
  type ByteRange,
  blobKey,
  type PutOptions,
  type StagedBlob,
  type StoredBlob,
} from './blob-store.ts';
import { checkedRange } from './checked-range.ts';
import { meteredBlob } from './metered-blob.ts';

export interface S3BlobStoreOptions {
  readonly bucket: string;
  readonly client: S3ClientConfig;
  /** Create the bucket at `check()` when it is missing (only when configuration asks). */
  readonly createBucket?: boolean;
  /** Bytes per multipart part; with `queueSize` parts in flight this bounds memory. */
  readonly partSize?: number;
  readonly queueSize?: number;
}

/**
 * Multipart settings. lib-storage copies each part into a buffer of its own and keeps at most
 * `queueSize` of them in flight (plus the one filling), so an upload's live memory is bounded
 * by these, whatever the file's size; spent part buffers wait for V8's next full collection.
 * `STORAGE_URL` can set both (`partSize` in bytes, at least 5 MiB; `queueSize`).
 */
export const s3PartSize = 5 * 1024 * 1024;
export const s3QueueSize = 2;

/** A single CopyObject can copy at most 5 GiB. */
const maxCopyBytes = 5 * 1024 ** 3;

/**
 * Blobs as objects in an S3-compatible bucket (AWS, MinIO, s3rver), path-style when asked.
 * The bytes stream to a temporary key through a multipart upload while they are hashed, then
 * are copied server-side to their content address and the temporary object removed. A failed
 * or oversized upload aborts its multipart upload, so nothing partial is left.
 */
export class S3BlobStore implements BlobStore {
  readonly kind = 's3';
  readonly bucket: string;
  readonly client: S3Client;
  readonly location: string;
  readonly #createBucket: boolean;
  readonly #partSize: number;
  readonly #queueSize: number;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client(options.client);
    const endpoint = options.client.endpoint ? ` at ${String(options.client.endpoint)}` : '';
    this.location = `s3://${options.bucket}${endpoint}`;
    this.#createBucket = options.createBucket ?? false;
    this.#partSize = options.partSize ?? s3PartSize;
    this.#queueSize = options.queueSize ?? s3QueueSize;
  }

  async put(source: BlobSource, options: PutOptions = {}): Promise<StoredBlob> {
    return (await this.stage(source, options)).commit();
  }

  async stage(source: BlobSource, options: PutOptions = {}): Promise<StagedBlob> {
    const maxBytes = Math.min(options.maxBytes ?? maxCopyBytes, maxCopyBytes);
    const temporaryKey = `tmp/${randomUUID()}`;
    const meter = meterOf(source, maxBytes, options.refuseEmpty);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: temporaryKey,
        Body: meter,
        // Set here, not on the copy: a metadata-replacing copy makes some servers re-read
        // every byte. A sniffed type lives in the database, which is what readers consult.
        ...(options.declaredType ? { ContentType: options.declaredType } : {}),
      },
      partSize: this.#partSize,
      queueSize: this.#queueSize,
      leavePartsOnError: false,
    });
    const abortOnSignal = () => void upload.abort();
    options.signal?.addEventListener('abort', abortOnSignal, { once: true });
    const discard = async () => {
      await this.client
        .send(new DeleteObjectCommand({ Bucket: this.bucket, Key: temporaryKey }))
        .catch(() => undefined);
    };
    let uploaded = false;
    try {
      await upload.done();
      uploaded = true;
      const { id, size, type, key } = await meteredBlob(meter, options);
      const commit = async (): Promise<StoredBlob> => {
        try {
          if (await this.#exists(key)) return { id, size, type, key, created: false };
          await this.client.send(
            new CopyObjectCommand({
              Bucket: this.bucket,
              Key: key,
              CopySource: `${this.bucket}/${temporaryKey}`,
            }),
          );
          return { id, size, type, key, created: true };
        } finally {
          await discard();
        }
      };
      return { id, size, type, key, commit, discard };
    } catch (error) {
      if (uploaded) await discard();
      // Whatever the upload's own error, an oversized or refused empty stream is reported as such.
      if (meter.byteCount > maxBytes) throw new BlobTooLargeError(maxBytes);
      if (meter.errored instanceof BlobEmptyError) throw meter.errored;
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', abortOnSignal);
      meter.destroy();
    }
  }

  async get(id: string, range?: ByteRange): Promise<BlobRead> {
    const found = await this.stat(id);
    if (!found) throw new BlobNotFoundError(id);
    const { start, end } = checkedRange(found.size, range);
    if (found.size === 0) return { stream: Readable.from([]), size: 0, start, end };
    const answer = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: blobKey(id),
        ...(range ? { Range: `bytes=${start}-${end}` } : {}),
      }),
    );
    return { stream: answer.Body as Readable, size: found.size, start, end };
  }

  async stat(id: string): Promise<{ size: number } | undefined> {
    try {
      const head = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: blobKey(id) }),
      );
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async has(id: string): Promise<boolean> {
    return (await this.stat(id)) !== undefined;
  }

  async delete(id: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: blobKey(id) }));
  }

  async presignedGetUrl(id: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.client,
      new GetObjectCommand({ Bucket: this.bucket, Key: blobKey(id) }),
      {
        expiresIn: expiresInSeconds,
      },
    );
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return;
    } catch (error) {
      if (!isNotFound(error)) {
        throw new StorageUnavailableError(
          `Could not reach the bucket ${this.location} (STORAGE_URL): ${describe(error)}`,
          { cause: error },
        );
      }
    }
    if (!this.#createBucket) {
      throw new StorageUnavailableError(
        `The bucket ${this.bucket} does not exist (STORAGE_URL): create it, or add createBucket=true to STORAGE_URL`,
      );
    }
    await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }

  async #exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const candidate = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    candidate?.name === 'NotFound' ||
    candidate?.name === 'NoSuchKey' ||
    candidate?.name === 'NoSuchBucket' ||
    candidate?.$metadata?.httpStatusCode === 404
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

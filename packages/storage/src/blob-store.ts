import type { Readable } from 'node:stream';

export interface PutOptions {
  /** Stop with `BlobTooLargeError` past this many bytes, leaving nothing behind. */
  readonly maxBytes?: number | undefined;
  /** The type the uploader declared; sniffed from the bytes when absent. */
  readonly declaredType?: string | undefined;
  /** Refuse bytes whose type is neither declared nor recognisable (default true). */
  readonly requireType?: boolean | undefined;
  /** Stop with `BlobEmptyError` when no bytes come, leaving nothing behind (default false). */
  readonly refuseEmpty?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface StoredBlob {
  /** sha256 hex of the bytes. */
  readonly id: string;
  readonly size: number;
  /** The declared type, else the sniffed one; null only when `requireType` is false. */
  readonly type: string | null;
  /** Where the bytes live in the store; derived from the id alone. */
  readonly key: string;
  /** False when these bytes were already stored: nothing new was written. */
  readonly created: boolean;
}

/**
 * Bytes written to a temporary place and typed, not yet at their content address: nobody can
 * read them until `commit`. A request that may still be refused stages its uploads and commits
 * them once accepted, so a refusal leaves no blob, without ever deleting a stored one (which
 * another request storing the same bytes may be about to refer to).
 */
export interface StagedBlob {
  readonly id: string;
  readonly size: number;
  readonly type: string | null;
  readonly key: string;
  /** Move the bytes to their content address (writing nothing new when they are there). */
  commit(): Promise<StoredBlob>;
  /** Remove the staged bytes; nothing is left. */
  discard(): Promise<void>;
}

/** An inclusive byte range, as HTTP ranges are. */
export interface ByteRange {
  readonly start: number;
  readonly end?: number | undefined;
}

export interface BlobRead {
  readonly stream: Readable;
  /** The whole blob's size. */
  readonly size: number;
  readonly start: number;
  /** Inclusive. */
  readonly end: number;
}

export type BlobSource = Readable | AsyncIterable<Uint8Array>;

/** Content-addressed storage: bytes are stored once, under their sha256. */
export interface BlobStore {
  readonly kind: 'filesystem' | 's3';
  /** Where it is, without credentials, for logs and errors. */
  readonly location: string;
  /** Stream bytes in, hashing them on the way; never holds a whole file in memory. */
  put(source: BlobSource, options?: PutOptions): Promise<StoredBlob>;
  /** Like `put`, but leaves the bytes staged until `commit` (or `discard`). */
  stage(source: BlobSource, options?: PutOptions): Promise<StagedBlob>;
  /** Read a blob, or a range of it; `BlobNotFoundError`, `BlobRangeError`. */
  get(id: string, range?: ByteRange): Promise<BlobRead>;
  /** The size of a stored blob, or undefined. */
  stat(id: string): Promise<{ size: number } | undefined>;
  has(id: string): Promise<boolean>;
  delete(id: string): Promise<void>;
  /** A URL that reads the blob without credentials for a while, where the store can make one. */
  presignedGetUrl(id: string, expiresInSeconds: number): Promise<string | undefined>;
  /** Check the store is usable (the folder writable, the bucket there). */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** The key of a blob: sharded by the first hex digits of its hash. */
export function blobKey(id: string): string {
  if (!/^[0-9a-f]{64}$/.test(id)) throw new Error(`not a sha256 hex id: ${id}`);
  return `blobs/${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
}

/** Whether a string is a blob id (sha256 hex). */
export function isBlobId(id: string): boolean {
  return /^[0-9a-f]{64}$/.test(id);
}

export {
  BlobEmptyError,
  BlobNotFoundError,
  BlobRangeError,
  BlobTooLargeError,
  BlobTypeUnknownError,
  StorageConfigError,
  StorageUnavailableError,
} from './blob-errors.ts';
export { BlobMeter } from './blob-meter.ts';
export {
  type BlobRead,
  type BlobSource,
  type BlobStore,
  type ByteRange,
  blobKey,
  isBlobId,
  type PutOptions,
  type StagedBlob,
  type StoredBlob,
} from './blob-store.ts';
export { type CreateBlobStoreOptions, createBlobStore } from './create-blob-store.ts';
export { FilesystemBlobStore } from './filesystem-blob-store.ts';
export { resolveBlobType } from './resolve-blob-type.ts';
// The S3 store is `@llmq/storage/s3`, not exported here: importing it loads the AWS SDK, which
// createBlobStore does only for an s3:// URL.

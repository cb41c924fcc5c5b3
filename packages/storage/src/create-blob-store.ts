import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StorageConfigError } from './blob-errors.ts';
import type { BlobStore } from './blob-store.ts';
import { FilesystemBlobStore } from './filesystem-blob-store.ts';
import type { S3BlobStoreOptions } from './s3-blob-store.ts';

export interface CreateBlobStoreOptions {
  /** Where blobs go when no URL is given (default `./.llmq`). */
  readonly dataDir?: string;
}

const usage =
  'give file:///absolute/folder, or s3://bucket?endpoint=http://host:9000&region=us-east-1&forcePathStyle=true, ' +
  'or leave it unset to keep blobs under the data folder';

/**
 * Open the blob store named by `STORAGE_URL`:
 * - unset: files under `<dataDir>/blobs`;
 * - `file:///folder`: files under that folder;
 * - `s3://[key:secret@]bucket?endpoint=…&region=…&forcePathStyle=true&createBucket=true`:
 *   an S3-compatible bucket; without credentials in the URL the AWS SDK's default chain applies.
 *
 * The URL is checked before anything is loaded. The S3 store and the AWS SDK (some 5 MB of
 * heap in every process, which each full collection marks again) are imported only when the
 * URL names a bucket.
 */
export async function createBlobStore(
  url: string | undefined,
  options: CreateBlobStoreOptions = {},
): Promise<BlobStore> {
  if (!url) return new FilesystemBlobStore(resolve(join(options.dataDir ?? '.llmq', 'blobs')));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageConfigError(`STORAGE_URL is not a valid URL: ${usage}`);
  }
  if (parsed.protocol === 'file:') {
    if (parsed.host) {
      throw new StorageConfigError(
        `STORAGE_URL file:// URLs take an absolute path with no host (file:///var/lib/llmq): ${usage}`,
      );
    }
    return new FilesystemBlobStore(fileURLToPath(parsed));
  }
  if (parsed.protocol === 's3:') {
    const s3Options = s3OptionsFrom(parsed);
    const { S3BlobStore } = await import('./s3-blob-store.ts');
    return new S3BlobStore(s3Options);
  }
  throw new StorageConfigError(
    `STORAGE_URL must start with file:// or s3:// (it starts with ${parsed.protocol}//): ${usage}`,
  );
}

const s3Parameters = new Set([
  'endpoint',
  'region',
  'forcePathStyle',
  'createBucket',
  'partSize',
  'queueSize',
]);

function s3OptionsFrom(url: URL): S3BlobStoreOptions {
  const bucket = url.hostname;
  if (!bucket) throw new StorageConfigError(`STORAGE_URL names no bucket: ${usage}`);
  for (const name of url.searchParams.keys()) {
    if (!s3Parameters.has(name)) {
      throw new StorageConfigError(
        `STORAGE_URL has an unknown parameter ${name}; it takes ${[...s3Parameters].join(', ')}`,
      );
    }
  }
  const endpoint = url.searchParams.get('endpoint') ?? undefined;
  if (endpoint !== undefined) {
    try {
      new URL(endpoint);
    } catch {
      throw new StorageConfigError(`STORAGE_URL's endpoint is not a URL (${endpoint}): ${usage}`);
    }
  }
  const flag = (name: string) => {
    const value = url.searchParams.get(name);
    if (value === null) return false;
    if (value === 'true' || value === '') return true;
    if (value === 'false') return false;
    throw new StorageConfigError(`STORAGE_URL's ${name} must be true or false, not ${value}`);
  };
  const count = (name: string, minimum: number) => {
    const value = url.searchParams.get(name);
    if (value === null) return undefined;
    const number = Number(value);
    if (!Number.isInteger(number) || number < minimum) {
      throw new StorageConfigError(
        `STORAGE_URL's ${name} must be a whole number of at least ${minimum}, not ${value}`,
      );
    }
    return number;
  };
  const partSize = count('partSize', 5 * 1024 * 1024);
  const queueSize = count('queueSize', 1);
  const credentials = url.username
    ? {
        accessKeyId: decodeURIComponent(url.username),
        secretAccessKey: decodeURIComponent(url.password),
      }
    : undefined;
  return {
    bucket,
    createBucket: flag('createBucket'),
    ...(partSize ? { partSize } : {}),
    ...(queueSize ? { queueSize } : {}),
    client: {
      region: url.searchParams.get('region') ?? 'us-east-1',
      forcePathStyle: flag('forcePathStyle'),
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
    },
  };
}

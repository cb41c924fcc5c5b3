import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { StorageConfigError } from './blob-errors.ts';
import { createBlobStore } from './create-blob-store.ts';
import { FilesystemBlobStore } from './filesystem-blob-store.ts';
import { S3BlobStore } from './s3-blob-store.ts';

describe('createBlobStore', () => {
  it('keeps blobs under the data folder when no URL is given', async () => {
    const store = await createBlobStore(undefined, { dataDir: '/tmp/llmq-data' });
    expect(store).toBeInstanceOf(FilesystemBlobStore);
    expect((store as FilesystemBlobStore).root).toBe('/tmp/llmq-data/blobs');
  });

  it('opens a folder for file:// and a bucket for s3://', async () => {
    expect(((await createBlobStore('file:///var/lib/llmq')) as FilesystemBlobStore).root).toBe(
      '/var/lib/llmq',
    );
    const s3 = (await createBlobStore(
      's3://key:secret@media?endpoint=http://minio:9000&region=eu-west-1&forcePathStyle=true',
    )) as S3BlobStore;
    expect(s3).toBeInstanceOf(S3BlobStore);
    expect(s3.bucket).toBe('media');
    expect(await s3.client.config.region()).toBe('eu-west-1');
    expect(s3.client.config.forcePathStyle).toBe(true);
    expect(s3.location).not.toContain('secret');
    await s3.close();
  });

  it.each([
    ['not a URL', 'blobs-folder', /STORAGE_URL is not a valid URL/],
    ['another scheme', 'gs://bucket', /STORAGE_URL must start with file:\/\/ or s3:\/\//],
    ['a file URL with a host', 'file://server/share', /no host/],
    ['an unknown parameter', 's3://b?endpont=http://x', /unknown parameter endpont/],
    ['a bad flag', 's3://b?forcePathStyle=yes', /forcePathStyle must be true or false/],
    ['a bad endpoint', 's3://b?endpoint=minio', /endpoint is not a URL/],
    [
      'a part size under 5 MiB',
      's3://b?partSize=1024',
      /partSize must be a whole number of at least 5242880/,
    ],
  ])('refuses %s with a message naming STORAGE_URL', async (_case, url, message) => {
    await expect(createBlobStore(url)).rejects.toThrow(StorageConfigError);
    await expect(createBlobStore(url)).rejects.toThrow(message);
  });

  it('loads the AWS SDK only for an s3:// URL', () => {
    // A process in which resolving any @aws-sdk module fails: the package and a folder store
    // open without it, a bad s3:// URL is refused before it is needed, and a good one needs it.
    const script = `
      import { registerHooks } from 'node:module';
      registerHooks({
        resolve(specifier, context, next) {
          if (specifier.startsWith('@aws-sdk/')) throw new Error('the AWS SDK was loaded');
          return next(specifier, context);
        },
      });
      const { createBlobStore } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      await createBlobStore('file:///tmp/llmq-storage-lazy');
      await createBlobStore(undefined, { dataDir: '/tmp/llmq-storage-lazy' });
      console.log('folder stores opened');
      await createBlobStore('s3://bucket?regoin=us-east-1').catch((error) => console.log(error.name));
      await createBlobStore('s3://bucket?region=us-east-1').then(
        () => console.log('s3 store opened'),
        (error) => console.log(error.message),
      );`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(output.trim().split('\n')).toEqual([
      'folder stores opened',
      'StorageConfigError',
      'the AWS SDK was loaded',
    ]);
  });
});

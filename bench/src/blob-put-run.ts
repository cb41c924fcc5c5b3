// One measured put, in a fresh process so its RSS growth is its own. Prints one JSON line.
// Usage: node blob-put-run.ts <fs-baseline|fs-driver|s3-baseline|s3-driver> <folder> <storageUrl> <bytes>
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createBlobStore } from '@llmq/storage';
import { type S3BlobStore, s3PartSize, s3QueueSize } from '@llmq/storage/s3';
import { generatedStream } from './generated-stream.ts';
import { measure } from './measure.ts';

const [kind, folder = '', storageUrl = '', bytes = '0'] = process.argv.slice(2);
const total = Number(bytes);
const declared = { declaredType: 'application/octet-stream', requireType: false } as const;

async function run(): Promise<{ seconds: number; rssGrowthBytes: number }> {
  // Made before measuring: the source's own buffers are not the measured side's memory.
  const source = generatedStream(total);
  switch (kind) {
    case 'fs-baseline': {
      const target = join(folder, `plain-${process.pid}`);
      const measured = await measure(() => pipeline(source, createWriteStream(target)));
      await rm(target);
      return measured;
    }
    case 'fs-driver': {
      const store = await createBlobStore(`file://${join(folder, 'store')}`);
      await store.check();
      const measured = await measure(() => store.put(source, declared));
      await store.delete(measured.result.id);
      return measured;
    }
    case 's3-baseline': {
      const store = (await createBlobStore(storageUrl)) as S3BlobStore;
      await store.check();
      const key = `plain-${process.pid}`;
      const measured = await measure(() =>
        new Upload({
          client: store.client,
          params: { Bucket: store.bucket, Key: key, Body: source },
          // The driver's own part settings, so the difference is hashing and the copy.
          partSize: s3PartSize,
          queueSize: s3QueueSize,
        }).done(),
      );
      await store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key }));
      return measured;
    }
    case 's3-driver': {
      const store = (await createBlobStore(storageUrl)) as S3BlobStore;
      await store.check();
      const measured = await measure(() => store.put(source, declared));
      await store.delete(measured.result.id);
      return measured;
    }
    default:
      throw new Error(`unknown run ${kind}`);
  }
}

const { seconds, rssGrowthBytes } = await run();
process.stdout.write(`${JSON.stringify({ kind, seconds, rssGrowthBytes })}\n`);

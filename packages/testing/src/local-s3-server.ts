import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface LocalS3Server {
  /** The endpoint to give an S3 client (path-style addressing). */
  readonly endpoint: string;
  /** s3rver's own credentials. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Where s3rver keeps objects, to look at what it holds. */
  readonly directory: string;
  /** A `STORAGE_URL` for a bucket of this server. */
  storageUrl(bucket: string, extra?: Record<string, string>): string;
  /** A bucket name no other test uses. */
  uniqueBucketName(): string;
  close(): Promise<void>;
}

/** A real S3 protocol server (s3rver) on a random loopback port, storing under a temp folder. */
export async function startLocalS3Server(): Promise<LocalS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'llmq-s3rver-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
  });
  const address = (await server.run()) as AddressInfo;
  const endpoint = `http://127.0.0.1:${address.port}`;
  const accessKeyId = 'S3RVER';
  const secretAccessKey = 'S3RVER';
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    directory,
    storageUrl: (bucket, extra = {}) => {
      const query = new URLSearchParams({
        endpoint,
        region: 'us-east-1',
        forcePathStyle: 'true',
        ...extra,
      });
      return `s3://${accessKeyId}:${secretAccessKey}@${bucket}?${query}`;
    },
    uniqueBucketName: () => `llmq-test-${randomBytes(6).toString('hex')}`,
    close: async () => {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { type LocalS3Server, sampleFiles, startLocalS3Server } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BlobEmptyError,
  BlobNotFoundError,
  BlobRangeError,
  BlobTooLargeError,
  BlobTypeUnknownError,
} from './blob-errors.ts';
import { type BlobStore, blobKey } from './blob-store.ts';
import { createBlobStore } from './create-blob-store.ts';
import type { S3BlobStore } from './s3-blob-store.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A deterministic stream of `total` bytes in 64 KiB chunks, never held whole. */
function generated(total: number, seed = 1, onRead?: (sent: number) => void): Readable {
  let sent = 0;
  return new Readable({
    read() {
      onRead?.(sent);
      if (sent >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(65_536, total - sent);
      const chunk = Buffer.alloc(size, (sent / 65_536 + seed) % 251);
      sent += size;
      this.push(chunk);
    },
  });
}

function hashOfGenerated(total: number, seed = 1): string {
  const hash = createHash('sha256');
  for (let sent = 0; sent < total; sent += 65_536) {
    hash.update(Buffer.alloc(Math.min(65_536, total - sent), (sent / 65_536 + seed) % 251));
  }
  return hash.digest('hex');
}

interface DriverFixture {
  readonly store: BlobStore;
  /** Every key the driver holds, temporary ones included. */
  keys(): Promise<string[]>;
  /** Names of the S3 operations sent, for the S3 driver. */
  readonly commands: string[];
}

let s3: LocalS3Server;
let folder: string;

beforeAll(async () => {
  s3 = await startLocalS3Server();
  folder = await mkdtemp(join(tmpdir(), 'llmq-blobs-'));
});

afterAll(async () => {
  await s3?.close();
  await rm(folder, { recursive: true, force: true });
});

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(root, relative)));
    else files.push(relative);
  }
  return files;
}

const fixtures = {
  filesystem: async (): Promise<DriverFixture> => {
    const root = await mkdtemp(join(folder, 'store-'));
    const store = await createBlobStore(`file://${root}`);
    await store.check();
    return { store, keys: () => listFiles(root), commands: [] };
  },
  s3: async (): Promise<DriverFixture> => {
    const store = await createBlobStore(
      s3.storageUrl(s3.uniqueBucketName(), { createBucket: 'true' }),
    );
    await store.check();
    const commands: string[] = [];
    const client = (store as S3BlobStore).client;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(context.commandName ?? 'unknown');
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
    const keys = async () => {
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: (store as S3BlobStore).bucket }),
      );
      return (listed.Contents ?? []).map((object) => object.Key ?? '');
    };
    return { store, keys, commands };
  },
};

describe.each(Object.keys(fixtures) as Array<keyof typeof fixtures>)('%s blob store', (driver) => {
  let fixture: DriverFixture;

  beforeAll(async () => {
    fixture = await fixtures[driver]();
  });

  afterAll(async () => {
    await fixture?.store.close();
  });

  it('stores bytes under their sha256 with the sniffed type', async () => {
    const stored = await fixture.store.put(Readable.from([sampleFiles.png]));
    expect(stored).toEqual({
      id: sha256(sampleFiles.png),
      size: sampleFiles.png.length,
      type: 'image/png',
      key: blobKey(sha256(sampleFiles.png)),
      created: true,
    });
    expect(await fixture.keys()).toContain(stored.key);
    expect(await fixture.store.has(stored.id)).toBe(true);
  });

  it('keeps a declared type, and sniffs when the declaration says nothing', async () => {
    const declared = await fixture.store.put(Readable.from([sampleFiles.wav]), {
      declaredType: 'audio/wave',
    });
    expect(declared.type).toBe('audio/wav');
    const octets = await fixture.store.put(Readable.from([sampleFiles.gif]), {
      declaredType: 'application/octet-stream',
    });
    expect(octets.type).toBe('image/gif');
  });

  it('writes nothing new for bytes it already has', async () => {
    const first = await fixture.store.put(Readable.from([sampleFiles.jpeg]));
    const before = await fixture.keys();
    const second = await fixture.store.put(Readable.from([sampleFiles.jpeg]));
    expect(second).toEqual({ ...first, created: false });
    expect(await fixture.keys()).toEqual(before);
  });

  it('hashes a large stream while it passes, in many parts', async () => {
    const total = 20 * 1024 * 1024 + 123;
    const stored = await fixture.store.put(generated(total), { declaredType: 'application/pdf' });
    expect(stored.id).toBe(hashOfGenerated(total));
    expect(stored.size).toBe(total);
    expect((await fixture.store.stat(stored.id))?.size).toBe(total);
    if (driver === 's3') expect(fixture.commands).toContain('CreateMultipartUploadCommand');
    expect((await fixture.keys()).filter((key) => key.startsWith('tmp/'))).toEqual([]);
  });

  it('reads a blob whole or by inclusive byte range', async () => {
    const bytes = Buffer.from('0123456789abcdef', 'ascii');
    const stored = await fixture.store.put(Readable.from([bytes]), { declaredType: 'text/plain' });
    const whole = await fixture.store.get(stored.id);
    expect(await text(whole.stream)).toBe('0123456789abcdef');
    expect(whole).toMatchObject({ size: 16, start: 0, end: 15 });
    const middle = await fixture.store.get(stored.id, { start: 2, end: 5 });
    expect(await text(middle.stream)).toBe('2345');
    const tail = await fixture.store.get(stored.id, { start: 10 });
    expect(await text(tail.stream)).toBe('abcdef');
    const overlong = await fixture.store.get(stored.id, { start: 14, end: 99 });
    expect(await text(overlong.stream)).toBe('ef');
    await expect(fixture.store.get(stored.id, { start: 16 })).rejects.toThrow(BlobRangeError);
    await expect(fixture.store.get(stored.id, { start: 5, end: 2 })).rejects.toThrow(
      BlobRangeError,
    );
  });

  it('answers BlobNotFoundError and false for an unknown id, and deletes', async () => {
    const missing = sha256(Buffer.from('never stored'));
    await expect(fixture.store.get(missing)).rejects.toThrow(BlobNotFoundError);
    expect(await fixture.store.has(missing)).toBe(false);
    expect(await fixture.store.stat(missing)).toBeUndefined();
    const stored = await fixture.store.put(Readable.from([Buffer.from('delete me')]), {
      declaredType: 'text/plain',
    });
    await fixture.store.delete(stored.id);
    expect(await fixture.store.has(stored.id)).toBe(false);
  });

  it('stops an upload over the limit mid-stream and leaves nothing behind', async () => {
    const before = await fixture.keys();
    fixture.commands.length = 0;
    const total = 24 * 1024 * 1024;
    let produced = 0;
    const source = generated(total, 7, (sent) => {
      produced = sent;
    });
    await expect(
      fixture.store.put(source, { maxBytes: 17 * 1024 * 1024, declaredType: 'application/pdf' }),
    ).rejects.toThrow(BlobTooLargeError);
    expect(produced).toBeLessThan(total);
    expect(await fixture.keys()).toEqual(before);
    expect(await fixture.store.has(hashOfGenerated(total, 7))).toBe(false);
    if (driver === 's3') {
      // Every multipart upload that was started is aborted, not left incomplete.
      expect(fixture.commands).toContain('CreateMultipartUploadCommand');
      expect(fixture.commands).toContain('AbortMultipartUploadCommand');
      expect(fixture.commands).not.toContain('CompleteMultipartUploadCommand');
    }
  });

  it('refuses bytes of unknown type unless told otherwise, leaving nothing behind', async () => {
    const before = await fixture.keys();
    await expect(fixture.store.put(Readable.from([sampleFiles.text]))).rejects.toThrow(
      BlobTypeUnknownError,
    );
    expect(await fixture.keys()).toEqual(before);
    const untyped = await fixture.store.put(Readable.from([sampleFiles.text]), {
      requireType: false,
    });
    expect(untyped.type).toBeNull();
  });

  it('stages bytes unreadable until committed; a discarded stage leaves nothing behind', async () => {
    const before = await fixture.keys();
    const bytes = Buffer.from('staged bytes, which no other test stores');
    const discarded = await fixture.store.stage(Readable.from([bytes]), {
      declaredType: 'application/x-staged',
    });
    expect(discarded.id).toBe(sha256(bytes));
    expect(await fixture.store.has(discarded.id)).toBe(false);
    await discarded.discard();
    expect(await fixture.keys()).toEqual(before);

    const staged = await fixture.store.stage(Readable.from([bytes]), {
      declaredType: 'application/x-staged',
    });
    expect(await fixture.store.has(staged.id)).toBe(false);
    expect(await staged.commit()).toEqual({
      id: sha256(bytes),
      size: bytes.length,
      type: 'application/x-staged',
      key: blobKey(sha256(bytes)),
      created: true,
    });
    expect((await fixture.keys()).sort()).toEqual([...before, staged.key].sort());
  });

  it('refuses an empty upload when asked to, leaving nothing behind', async () => {
    const before = await fixture.keys();
    fixture.commands.length = 0;
    await expect(
      fixture.store.put(Readable.from([]), { declaredType: 'text/plain', refuseEmpty: true }),
    ).rejects.toThrow(BlobEmptyError);
    expect(await fixture.keys()).toEqual(before);
    expect(await fixture.store.has(sha256(new Uint8Array()))).toBe(false);
    // Nothing was written to the bucket at all: no object, no multipart upload begun.
    for (const write of ['PutObjectCommand', 'CreateMultipartUploadCommand', 'CopyObjectCommand']) {
      expect(fixture.commands).not.toContain(write);
    }
  });

  it('stops when the signal aborts, leaving nothing behind', async () => {
    const before = await fixture.keys();
    const controller = new AbortController();
    const source = generated(64 * 1024 * 1024, 9, (sent) => {
      if (sent > 1024 * 1024 && !controller.signal.aborted) {
        controller.abort(new Error('client went away'));
      }
    });
    await expect(
      fixture.store.put(source, { signal: controller.signal, declaredType: 'application/pdf' }),
    ).rejects.toThrow();
    expect(await fixture.keys()).toEqual(before);
  });

  it('gives a presigned GET URL where the store supports one', async () => {
    const stored = await fixture.store.put(Readable.from([sampleFiles.png]));
    const url = await fixture.store.presignedGetUrl(stored.id, 60);
    if (driver === 'filesystem') {
      expect(url).toBeUndefined();
      return;
    }
    expect(url).toMatch(/X-Amz-Signature=/);
    const answer = await fetch(url as string);
    expect(answer.status).toBe(200);
    expect(Buffer.from(await answer.arrayBuffer())).toEqual(Buffer.from(sampleFiles.png));
  });
});

describe('S3 bucket checks', () => {
  it('refuses a missing bucket unless configuration asks to create it', async () => {
    const bucket = s3.uniqueBucketName();
    const strict = await createBlobStore(s3.storageUrl(bucket));
    await expect(strict.check()).rejects.toThrow(
      `The bucket ${bucket} does not exist (STORAGE_URL): create it, or add createBucket=true to STORAGE_URL`,
    );
    const creating = await createBlobStore(s3.storageUrl(bucket, { createBucket: 'true' }));
    await creating.check();
    await strict.check();
    await strict.close();
    await creating.close();
  });

  it('says it cannot reach an endpoint where nothing listens', async () => {
    const store = await createBlobStore(
      's3://k:s@bucket?endpoint=http://127.0.0.1:9&region=us-east-1&forcePathStyle=true',
    );
    await expect(store.check()).rejects.toThrow(
      /Could not reach the bucket s3:\/\/bucket .*STORAGE_URL/,
    );
    await store.close();
  });
});

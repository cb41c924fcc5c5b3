import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, constants, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobNotFoundError, StorageUnavailableError } from './blob-errors.ts';
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

/**
 * Blobs as files under a folder, sharded by hash (`blobs/ab/cd/<sha256>`). Bytes stream into a
 * temporary file that is flushed to disk and renamed into place, so a blob's path never holds
 * partial bytes, even after a crash.
 */
export class FilesystemBlobStore implements BlobStore {
  readonly kind = 'filesystem';
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = root;
    this.location = `file://${root}`;
  }

  async put(source: BlobSource, options: PutOptions = {}): Promise<StoredBlob> {
    return (await this.stage(source, options)).commit();
  }

  async stage(source: BlobSource, options: PutOptions = {}): Promise<StagedBlob> {
    const temporary = join(this.root, 'tmp', randomUUID());
    // Attach the meter before any await, so a source already flowing loses no bytes.
    const meter = meterOf(source, options.maxBytes, options.refuseEmpty);
    const discard = () => rm(temporary, { force: true });
    try {
      await mkdir(dirname(temporary), { recursive: true });
      await pipeline(
        meter,
        createWriteStream(temporary, { flags: 'wx' }),
        options.signal ? { signal: options.signal } : {},
      );
      const handle = await open(temporary, 'r');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const { id, size, type, key } = await meteredBlob(meter, options);
      const commit = async (): Promise<StoredBlob> => {
        try {
          const path = this.#pathOf(id);
          if (await exists(path)) {
            await discard();
            return { id, size, type, key, created: false };
          }
          await mkdir(dirname(path), { recursive: true });
          await rename(temporary, path);
          return { id, size, type, key, created: true };
        } catch (error) {
          await discard();
          throw error;
        }
      };
      return { id, size, type, key, commit, discard };
    } catch (error) {
      await discard();
      throw error;
    }
  }

  async get(id: string, range?: ByteRange): Promise<BlobRead> {
    const size = await this.#sizeOrThrow(id);
    const { start, end } = checkedRange(size, range);
    const stream =
      size === 0 ? Readable.from([]) : createReadStream(this.#pathOf(id), { start, end });
    return { stream, size, start, end };
  }

  async stat(id: string): Promise<{ size: number } | undefined> {
    try {
      return { size: (await stat(this.#pathOf(id))).size };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async has(id: string): Promise<boolean> {
    return (await this.stat(id)) !== undefined;
  }

  async delete(id: string): Promise<void> {
    await rm(this.#pathOf(id), { force: true });
  }

  async presignedGetUrl(): Promise<undefined> {
    return undefined;
  }

  async check(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await access(this.root, constants.W_OK);
    } catch (error) {
      throw new StorageUnavailableError(
        `The blob folder ${this.root} (STORAGE_URL) is not writable: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {}

  #pathOf(id: string): string {
    return join(this.root, blobKey(id));
  }

  async #sizeOrThrow(id: string): Promise<number> {
    const found = await this.stat(id);
    if (!found) throw new BlobNotFoundError(id);
    return found.size;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

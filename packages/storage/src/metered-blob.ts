import type { BlobMeter } from './blob-meter.ts';
import { blobKey, type PutOptions } from './blob-store.ts';
import { resolveBlobType } from './resolve-blob-type.ts';

/** What a store knows of bytes its meter has read to the end: id, size, type and key. */
export async function meteredBlob(meter: BlobMeter, options: PutOptions) {
  const type = await resolveBlobType(options.declaredType, meter.head, options.requireType ?? true);
  const id = meter.digest;
  return { id, size: meter.byteCount, type, key: blobKey(id) };
}

import { canonicalMimeType, sniffType } from '@llmq/core';
import { BlobTypeUnknownError } from './blob-errors.ts';

/** Declarations that say nothing about the content, so the bytes decide. */
const uninformativeTypes = new Set(['application/octet-stream', 'binary/octet-stream', '']);

/** The declared type when it says something, else the type sniffed from the first bytes. */
export async function resolveBlobType(
  declaredType: string | undefined,
  head: Uint8Array,
  requireType: boolean,
): Promise<string | null> {
  const declared = declaredType === undefined ? '' : canonicalMimeType(declaredType);
  if (!uninformativeTypes.has(declared)) return declared;
  const sniffed = await sniffType(head);
  if (sniffed) return sniffed;
  if (requireType) throw new BlobTypeUnknownError();
  return declared || null;
}

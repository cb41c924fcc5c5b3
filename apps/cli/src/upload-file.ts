import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { LlmqApiError, type LlmqClient } from '@llmq/client';
import { hashFile } from './file-hash.ts';

/**
 * The attachment id of a file on the server: hashed here first, and uploaded only when the
 * server does not have those bytes yet. `uploaded` says which happened.
 */
export async function ensureUploaded(
  client: LlmqClient,
  path: string,
  type?: string,
): Promise<{ id: string; uploaded: boolean }> {
  const id = await hashFile(path);
  try {
    await client.getAttachment(id);
    return { id, uploaded: false };
  } catch (error) {
    if (!(error instanceof LlmqApiError && error.status === 404)) throw error;
  }
  const { size } = await stat(path);
  const body =
    size === 0
      ? new Uint8Array()
      : (Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>);
  const stored = await client.uploadAttachment(body, type);
  return { id: stored.id, uploaded: true };
}

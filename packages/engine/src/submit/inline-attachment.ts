import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { OwnerScope } from '@llmq/db';
import { resolveBlobType } from '@llmq/storage';
import { InvalidRequestError, PayloadTooLargeError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { type StoredUpload, storeUpload } from './store-upload.ts';

/** Base64 bytes sent in a request body, decoded and typed in memory: nothing stored yet. */
export interface InlineAttachment {
  /** The sha256 hex of the bytes: the id they will have once stored (content-addressed). */
  readonly id: string;
  readonly type: string;
  readonly bytes: Buffer;
}

/**
 * Decode and type inline bytes without storing them, so a request can be refused for any of
 * them (too large, empty, of a type the model cannot take) with nothing written. They are in
 * memory already (the request body held them), so this costs no more than the body did. `large`
 * lets them be as large as an upload: OpenAI clients have no other way to send an image.
 */
export async function readInlineAttachment(
  services: Pick<PromptServices, 'limits'>,
  input: { readonly content: string; readonly type?: string | undefined },
  large = false,
): Promise<InlineAttachment> {
  const bytes = Buffer.from(input.content, 'base64');
  const { maxAttachmentBytes, maxInlineAttachmentBytes } = services.limits;
  if (large && bytes.length > maxAttachmentBytes) {
    throw new PayloadTooLargeError(
      `An inline attachment may hold at most ${maxAttachmentBytes} bytes (LLMQ_MAX_ATTACHMENT_BYTES); this one has ${bytes.length}`,
    );
  }
  if (!large && bytes.length > maxInlineAttachmentBytes) {
    throw new PayloadTooLargeError(
      `An inline attachment may hold at most ${maxInlineAttachmentBytes} bytes (this one has ${bytes.length}); upload larger files with POST /v1/attachments and refer to them by id`,
    );
  }
  if (bytes.length === 0) {
    throw new InvalidRequestError(
      'An inline attachment is empty: give its bytes, base64-encoded, as its content',
    );
  }
  const type = (await resolveBlobType(input.type, bytes, true)) as string;
  return { id: createHash('sha256').update(bytes).digest('hex'), type, bytes };
}

/** Store inline bytes once the request that carries them is accepted. */
export function storeInlineAttachment(
  services: Pick<PromptServices, 'db' | 'blobs' | 'limits'>,
  inline: InlineAttachment,
  options: { signal?: AbortSignal | undefined; owner?: OwnerScope },
): Promise<StoredUpload> {
  // The type decided above is declared, so the store settles on the same one.
  return storeUpload(services, Readable.from([inline.bytes]), {
    declaredType: inline.type,
    signal: options.signal,
    owner: options.owner,
  });
}

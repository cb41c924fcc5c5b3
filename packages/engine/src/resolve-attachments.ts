import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PromptAttachmentInput } from '@llmq/contracts';
import { Attachment, AttachmentError, fetchFollowingRedirects } from '@llmq/core';
import { getAttachment, type NewAttachment, type OwnerScope, visibleAttachmentIds } from '@llmq/db';
import type { PromptServices } from './prompt-services.ts';
import { AttachmentNotFoundError, PayloadTooLargeError } from './service-errors.ts';
import { storeUpload } from './store-upload.ts';

export interface ResolvedAttachment {
  /** The attachment row to link the prompt to. */
  readonly row: NewAttachment;
  /** The same attachment for the model's type check (its type is known, no bytes needed). */
  readonly attachment: Attachment;
}

/**
 * Turn a prompt's attachment inputs into stored attachments: by id (uploaded before), inline
 * base64 (stored now) or URL (fetched now, so a replay never depends on the URL again).
 */
export async function resolveAttachments(
  services: PromptServices,
  inputs: readonly PromptAttachmentInput[],
  signal?: AbortSignal,
  owner?: OwnerScope,
): Promise<ResolvedAttachment[]> {
  const resolved: ResolvedAttachment[] = [];
  for (const input of inputs) {
    const row = await resolveOne(services, input, signal, owner);
    resolved.push({
      row,
      attachment: new Attachment({ id: row.id, type: row.type, url: row.url ?? undefined }),
    });
  }
  return resolved;
}

async function resolveOne(
  services: PromptServices,
  input: PromptAttachmentInput,
  signal: AbortSignal | undefined,
  owner: OwnerScope,
): Promise<NewAttachment> {
  if ('id' in input) {
    // Another owner's bytes are not there for this one, whatever its hash.
    const row = await getAttachment(services.db, input.id);
    const visible = row
      ? await visibleAttachmentIds(services.db, [row.id], owner)
      : new Set<string>();
    if (!row || !visible.has(row.id)) throw new AttachmentNotFoundError(input.id);
    return row;
  }
  if ('content' in input) {
    const bytes = Buffer.from(input.content, 'base64');
    const limit = services.limits.maxInlineAttachmentBytes;
    if (bytes.length > limit) {
      throw new PayloadTooLargeError(
        `An inline attachment may hold at most ${limit} bytes (this one has ${bytes.length}); upload larger files with POST /v1/attachments and refer to them by id`,
      );
    }
    const stored = await storeUpload(services, Readable.from([bytes]), {
      declaredType: input.type,
      signal,
      owner,
    });
    return stored;
  }
  const timeout = AbortSignal.timeout(services.limits.urlFetchTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let answer: globalThis.Response;
  try {
    answer = await fetchFollowingRedirects(input.url, 'GET', services.fetch, combined);
  } catch (error) {
    if (timeout.aborted) {
      throw new AttachmentError(
        `Fetching ${input.url} took longer than ${services.limits.urlFetchTimeoutMs} ms`,
      );
    }
    throw error;
  }
  if (!answer.body) throw new AttachmentError(`${input.url} answered with no body`);
  const stored = await storeUpload(
    services,
    Readable.fromWeb(answer.body as WebReadableStream<Uint8Array>),
    {
      declaredType: input.type ?? answer.headers.get('content-type') ?? undefined,
      url: input.url,
      signal: combined,
      owner,
    },
  );
  return { ...stored, url: input.url };
}

import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { PromptAttachmentInput } from '@llmq/contracts';
import { Attachment, AttachmentError, fetchFollowingRedirects, sniffLength } from '@llmq/core';
import {
  getAttachment,
  type NewAttachment,
  type OwnerScope,
  touchAttachments,
  visibleAttachmentIds,
} from '@llmq/db';
import { resolveBlobType } from '@llmq/storage';
import { AttachmentNotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { readInlineAttachment, storeInlineAttachment } from './inline-attachment.ts';
import { readHead } from './read-head.ts';
import { storeUpload } from './store-upload.ts';

export interface ResolvedAttachment {
  /** The attachment row to link the prompt to. */
  readonly row: NewAttachment;
  /** The same attachment for the model's type check (its type is known, no bytes needed). */
  readonly attachment: Attachment;
}

/** An input whose type is known and whose bytes are not stored yet. */
interface PendingAttachment {
  readonly attachment: Attachment;
  store(): Promise<NewAttachment>;
  /** Let go of what `store` would have read. */
  discard(): Promise<void>;
}

export interface ResolveOptions {
  readonly signal?: AbortSignal | undefined;
  readonly owner?: OwnerScope;
  /** The model's type check, run on every attachment before any is stored. */
  readonly check?: ((attachments: readonly Attachment[]) => Promise<void>) | undefined;
  /** Inline bytes may be as large as an upload (the OpenAI facade), not only as an inline one. */
  readonly largeInline?: boolean | undefined;
}

/**
 * Turn a prompt's attachment inputs into stored attachments: by id (uploaded before), inline
 * base64 (stored now) or URL (fetched now, so a replay never depends on the URL again).
 * Every type is known before any byte is stored (inline bytes are sniffed in memory, a URL's
 * first bytes are read ahead), so `check` (the model's type check) refusing any of them
 * leaves nothing written.
 */
export async function resolveAttachments(
  services: PromptServices,
  inputs: readonly PromptAttachmentInput[],
  options: ResolveOptions = {},
): Promise<ResolvedAttachment[]> {
  const pending: PendingAttachment[] = [];
  try {
    for (const input of inputs) pending.push(await prepare(services, input, options));
    await options.check?.(pending.map((each) => each.attachment));
  } catch (error) {
    await Promise.all(pending.map((each) => each.discard()));
    throw error;
  }
  const resolved: ResolvedAttachment[] = [];
  for (const [index, each] of pending.entries()) {
    let row: NewAttachment;
    try {
      row = await each.store();
    } catch (error) {
      await Promise.all(pending.slice(index + 1).map((rest) => rest.discard()));
      throw error;
    }
    resolved.push({
      row,
      attachment: new Attachment({ id: row.id, type: row.type, url: row.url ?? undefined }),
    });
  }
  return resolved;
}

const nothingToDiscard = async () => undefined;

async function prepare(
  services: PromptServices,
  input: PromptAttachmentInput,
  { signal, owner, largeInline }: ResolveOptions,
): Promise<PendingAttachment> {
  if ('id' in input) {
    // Another owner's bytes are not there for this one, whatever its hash.
    const row = await getAttachment(services.db, input.id);
    const visible = row
      ? await visibleAttachmentIds(services.db, [row.id], owner)
      : new Set<string>();
    if (!row || !visible.has(row.id)) throw new AttachmentNotFoundError(input.id);
    // Touched before it is linked, so the blob collector leaves it (see touchAttachments).
    if (!(await touchAttachments(services.db, [row.id])).has(row.id)) {
      throw new AttachmentNotFoundError(input.id);
    }
    return {
      attachment: new Attachment({ id: row.id, type: row.type, url: row.url ?? undefined }),
      store: async () => row,
      discard: nothingToDiscard,
    };
  }
  if ('content' in input) {
    // Small enough to be in memory already: its type is known without storing anything.
    const inline = await readInlineAttachment(services, input, largeInline);
    return {
      attachment: new Attachment({ type: inline.type, content: inline.bytes }),
      store: () => storeInlineAttachment(services, inline, { signal, owner }),
      discard: nothingToDiscard,
    };
  }
  const timeout = AbortSignal.timeout(services.limits.urlFetchTimeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const timedOut = (error: unknown) => {
    if (!timeout.aborted) return error;
    return new AttachmentError(
      `Fetching ${input.url} took longer than ${services.limits.urlFetchTimeoutMs} ms`,
    );
  };
  let answer: globalThis.Response;
  try {
    answer = await fetchFollowingRedirects(input.url, 'GET', services.fetch, combined);
  } catch (error) {
    throw timedOut(error);
  }
  if (!answer.body) throw new AttachmentError(`${input.url} answered with no body`);
  const body = await readHead(answer.body as WebReadableStream<Uint8Array>, sniffLength).catch(
    (error: unknown) => {
      throw timedOut(error);
    },
  );
  let type: string;
  try {
    const declared = input.type ?? answer.headers.get('content-type') ?? undefined;
    type = (await resolveBlobType(declared, body.head, true)) as string;
  } catch (error) {
    await body.cancel();
    throw error;
  }
  return {
    attachment: new Attachment({ type, url: input.url }),
    store: async () => {
      const stored = await storeUpload(services, body.bytes, {
        declaredType: type,
        url: input.url,
        signal: combined,
        owner,
      });
      return { ...stored, url: input.url };
    },
    discard: body.cancel,
  };
}

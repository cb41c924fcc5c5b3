import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { AttachmentError } from './errors.ts';
import { fetchFollowingRedirects, type HttpFetch } from './http-fetch.ts';
import { pythonJsonString } from './python-json.ts';
import { canonicalMimeType, sniffFileType, sniffType } from './sniff-type.ts';

export interface AttachmentInit {
  /** The declared MIME type; when absent it is sniffed from the bytes or asked of the URL. */
  readonly type?: string | undefined;
  readonly path?: string | undefined;
  readonly url?: string | undefined;
  readonly content?: Uint8Array | undefined;
  /** A known id (e.g. the stored content hash), so it need not be computed again. */
  readonly id?: string | undefined;
  /** How URLs are fetched; the global `fetch` unless a service guards it. */
  readonly fetch?: HttpFetch | undefined;
}

/**
 * A file given to a model: bytes, a local path or a URL, like llm's `Attachment`. Usually only
 * one of `content`, `path` and `url` is set.
 */
export class Attachment {
  readonly type: string | undefined;
  readonly path: string | undefined;
  readonly url: string | undefined;
  readonly content: Uint8Array | undefined;
  readonly #fetch: HttpFetch;
  #id: string | undefined;
  #resolvedType: string | undefined;

  constructor(init: AttachmentInit) {
    this.type = init.type === undefined ? undefined : canonicalMimeType(init.type);
    this.path = init.path;
    this.url = init.url;
    this.content = init.content;
    this.#id = init.id;
    this.#fetch = init.fetch ?? ((url, requestInit) => fetch(url, requestInit));
  }

  /**
   * sha256 hex of the bytes (the content, else the file at the path); for a URL, sha256 hex of
   * `json.dumps({"url": url})` as Python writes it. The type is not part of the id.
   */
  async id(): Promise<string> {
    if (this.#id === undefined) {
      if (this.#hasOwnBytes()) {
        this.#id = createHash('sha256')
          .update(this.content ?? new Uint8Array())
          .digest('hex');
      } else if (this.path !== undefined) {
        this.#id = await hashFile(this.path);
      } else if (this.url !== undefined) {
        this.#id = urlAttachmentId(this.url);
      } else {
        throw new AttachmentError('Attachment has no content, path or url to derive an id from');
      }
    }
    return this.#id;
  }

  /**
   * The declared type; else sniffed from the bytes' magic numbers; for a URL, the
   * `content-type` of a HEAD request. Never empty: unknown bytes are an error (llm #1340).
   */
  async resolveType(signal?: AbortSignal): Promise<string> {
    if (this.type) return this.type;
    if (this.#resolvedType !== undefined) return this.#resolvedType;
    let type: string | undefined;
    let described: string;
    if (this.content !== undefined && this.#hasOwnBytes()) {
      type = await sniffType(this.content);
      described = `of ${this.content.length} bytes`;
    } else if (this.path !== undefined) {
      type = await this.#sniffPath(this.path);
      described = `at ${this.path}`;
    } else if (this.url !== undefined) {
      const answer = await fetchFollowingRedirects(this.url, 'HEAD', this.#fetch, signal);
      const header = answer.headers.get('content-type');
      type = header ? canonicalMimeType(header) : undefined;
      described = `at ${this.url} (its HEAD answer has no content-type)`;
    } else {
      throw new AttachmentError('Attachment has no type and no content to derive it from');
    }
    if (!type) {
      throw new AttachmentError(
        `Could not determine the type of the attachment ${described}; declare its type explicitly`,
      );
    }
    this.#resolvedType = type;
    return type;
  }

  /** The bytes: the content, else the file at the path, else a GET of the URL. */
  async contentBytes(signal?: AbortSignal): Promise<Uint8Array> {
    if (this.content !== undefined && this.#hasOwnBytes()) return this.content;
    if (this.path !== undefined) {
      try {
        return new Uint8Array(await readFile(this.path));
      } catch (error) {
        throw new AttachmentError(`Could not read attachment ${this.path}: ${messageOf(error)}`, {
          cause: error,
        });
      }
    }
    if (this.url !== undefined) {
      const answer = await fetchFollowingRedirects(this.url, 'GET', this.#fetch, signal);
      return new Uint8Array(await answer.arrayBuffer());
    }
    throw new AttachmentError('Attachment has no content, path or url');
  }

  async base64Content(signal?: AbortSignal): Promise<string> {
    return Buffer.from(await this.contentBytes(signal)).toString('base64');
  }

  /** Content wins when it has bytes, or when there is nothing else to read (empty bytes). */
  #hasOwnBytes(): boolean {
    if (this.content === undefined) return false;
    return this.content.length > 0 || (this.path === undefined && this.url === undefined);
  }

  async #sniffPath(path: string): Promise<string | undefined> {
    try {
      return await sniffFileType(path);
    } catch (error) {
      throw new AttachmentError(`Could not read attachment ${path}: ${messageOf(error)}`, {
        cause: error,
      });
    }
  }
}

/** The id llm gives a URL attachment: sha256 hex of `{"url": "<url>"}` as Python encodes it. */
export function urlAttachmentId(url: string): string {
  return createHash('sha256')
    .update(`{"url": ${pythonJsonString(url)}}`, 'utf8')
    .digest('hex');
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (error) {
    throw new AttachmentError(`Could not read attachment ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return hash.digest('hex');
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

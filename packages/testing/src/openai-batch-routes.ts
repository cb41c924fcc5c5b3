import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorBody, sendJson } from './json-http.ts';

/** What the local server does with one batch, decided from its input lines when it is created. */
export interface BatchScript {
  /** Custom ids whose requests fail (into the error file, as a 500 from the model). */
  readonly fail?: readonly string[];
  /** The batch expires: its lines after `answerBeforeExpiry` never run (default: half of them). */
  readonly expire?: boolean;
  readonly answerBeforeExpiry?: number;
  /** Custom ids answered with a line the importer cannot read (a 200 body without choices). */
  readonly garble?: readonly string[];
  /** The output file also holds a line that is not JSON and one without a custom_id. */
  readonly garbageLines?: boolean;
  /** `POST /v1/batches` is refused with a 400 saying this. */
  readonly refuseCreate?: string;
  /** The batch is forgotten once created: retrieving it answers 404. */
  readonly forget?: boolean;
  /** The first this many cancels of the batch answer 500. */
  readonly refuseCancels?: number;
  /** Awaited after the batch is made and before its creation is answered (a race's window). */
  readonly beforeAnswer?: () => Promise<void>;
}

export interface OpenAIBatchOptions {
  /** How long a batch takes, its lines answered evenly over it (default 50 ms). */
  readonly batchProcessingMs?: number;
  readonly batchScript?: (lines: readonly BatchInputLine[]) => BatchScript;
}

export interface BatchInputLine {
  readonly custom_id: string;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
}

interface StoredFile {
  readonly id: string;
  readonly bytes: Buffer;
  readonly filename: string;
  readonly purpose: string;
  readonly createdAt: number;
}

type BatchStatus =
  | 'validating'
  | 'in_progress'
  | 'finalizing'
  | 'completed'
  | 'expired'
  | 'cancelling'
  | 'cancelled'
  | 'failed';

interface StoredBatch {
  id: string;
  status: BatchStatus;
  readonly endpoint: string;
  readonly inputFileId: string;
  readonly createdAt: number;
  readonly metadata: Record<string, string> | null;
  outputFileId: string | undefined;
  errorFileId: string | undefined;
  counts: { total: number; completed: number; failed: number };
  cancelRequested: boolean;
  refuseCancels: number;
}

/**
 * OpenAI's Files and Batches endpoints for the local server: `POST /v1/files` (multipart),
 * `GET /v1/files/{id}/content`, `POST /v1/batches`, `GET /v1/batches[/{id}]` and
 * `POST /v1/batches/{id}/cancel`. Each line is answered by the server's own route for its `url`
 * (an HTTP request to itself), so a batch answers exactly as real-time calls would; lines are
 * answered evenly over `batchProcessingMs`, a cancel keeps the lines already answered, and a
 * scripted expiry leaves the rest as `batch_expired` lines of the error file.
 */
export class OpenAIBatchRoutes {
  readonly #files = new Map<string, StoredFile>();
  readonly #batches = new Map<string, StoredBatch>();
  readonly #options: OpenAIBatchOptions;
  readonly #forgotten = new Set<string>();
  readonly #selfUrl: () => string;
  #counter = 0;

  constructor(options: OpenAIBatchOptions, selfUrl: () => string) {
    this.#options = options;
    this.#selfUrl = selfUrl;
  }

  /** Whether the request was one of these routes (then it has been answered). */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (method === 'POST' && path === '/v1/files') {
      await this.#upload(request, response);
      return true;
    }
    const content = /^\/v1\/files\/([^/]+)\/content$/.exec(path);
    if (method === 'GET' && content) {
      const file = this.#files.get(content[1] ?? '');
      if (!file) sendJson(response, 404, errorBody(`No such File object: ${content[1]}`));
      else {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        response.end(file.bytes);
      }
      return true;
    }
    if (method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse((await readAll(request)).toString('utf8')) as Record<string, unknown>;
      await this.#create(body, response);
      return true;
    }
    if (method === 'GET' && path === '/v1/batches') {
      const data = [...this.#batches.values()].reverse().map(batchJson);
      sendJson(response, 200, { object: 'list', data, has_more: false });
      return true;
    }
    const one = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    if (one) {
      await readAll(request);
      const batch = this.#batches.get(one[1] ?? '');
      if (!batch || (this.#forgotten.has(batch.id) && !one[2])) {
        sendJson(response, 404, errorBody(`No batch found with id '${one[1]}'.`));
        return true;
      }
      if (method === 'POST' && one[2]) {
        if (batch.refuseCancels > 0) {
          batch.refuseCancels--;
          sendJson(response, 500, errorBody('The cancel failed (scripted)', 'server_error'));
          return true;
        }
        if (batch.status === 'in_progress' || batch.status === 'validating') {
          batch.cancelRequested = true;
          batch.status = 'cancelling';
        }
      }
      sendJson(response, 200, batchJson(batch));
      return true;
    }
    return false;
  }

  async #upload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readAll(request);
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(request.headers['content-type'] ?? '');
    const marker = `--${boundary?.[1] ?? boundary?.[2]}`;
    let bytes: Buffer | undefined;
    let filename = 'upload';
    let purpose = '';
    for (const part of splitBuffer(body, Buffer.from(marker))) {
      const headerEnd = part.indexOf('\r\n\r\n');
      if (headerEnd < 0) continue;
      const headers = part.subarray(0, headerEnd).toString('utf8');
      // The part's content ends before the CRLF that precedes the next boundary.
      const value = part.subarray(headerEnd + 4, part.length - 2);
      const name = /name="([^"]+)"/.exec(headers)?.[1];
      if (name === 'file') {
        bytes = value;
        filename = /filename="([^"]*)"/.exec(headers)?.[1] ?? filename;
      } else if (name === 'purpose') {
        purpose = value.toString('utf8');
      }
    }
    if (!bytes) {
      sendJson(response, 400, errorBody('Missing file'));
      return;
    }
    const file: StoredFile = {
      id: `file-${++this.#counter}`,
      bytes,
      filename,
      purpose,
      createdAt: Math.floor(Date.now() / 1000),
    };
    this.#files.set(file.id, file);
    sendJson(response, 200, fileJson(file));
  }

  async #create(body: Record<string, unknown>, response: ServerResponse): Promise<void> {
    const input = this.#files.get(String(body.input_file_id));
    if (!input) {
      sendJson(response, 400, errorBody(`Invalid 'input_file_id': ${body.input_file_id}`));
      return;
    }
    const lines = input.bytes
      .toString('utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as BatchInputLine);
    const script = this.#options.batchScript?.(lines) ?? {};
    if (script.refuseCreate) {
      sendJson(response, 400, errorBody(script.refuseCreate));
      return;
    }
    const batch: StoredBatch = {
      id: `batch_${++this.#counter}`,
      status: 'in_progress',
      endpoint: String(body.endpoint),
      inputFileId: input.id,
      createdAt: Math.floor(Date.now() / 1000),
      metadata: (body.metadata as Record<string, string> | undefined) ?? null,
      outputFileId: undefined,
      errorFileId: undefined,
      counts: { total: lines.length, completed: 0, failed: 0 },
      cancelRequested: false,
      refuseCancels: script.refuseCancels ?? 0,
    };
    this.#batches.set(batch.id, batch);
    if (script.forget) this.#forgotten.add(batch.id);
    await script.beforeAnswer?.();
    sendJson(response, 200, batchJson(batch));
    void this.#run(batch, lines, script);
  }

  async #run(
    batch: StoredBatch,
    lines: readonly BatchInputLine[],
    script: BatchScript,
  ): Promise<void> {
    const garbled = new Set(script.garble ?? []);
    const failing = new Set(script.fail ?? []);
    const answerCount = script.expire
      ? (script.answerBeforeExpiry ?? Math.floor(lines.length / 2))
      : lines.length;
    const pause = (this.#options.batchProcessingMs ?? 50) / Math.max(lines.length, 1);
    const output: string[] = [];
    const errors: string[] = [];
    let owed = 0;
    for (const [index, line] of lines.entries()) {
      if (batch.cancelRequested || index >= answerCount) break;
      owed += pause;
      // Sleeping per line would cost a timer each: the pauses are taken once they add up.
      if (owed >= 5) {
        await sleep(owed);
        owed = 0;
      }
      if (batch.cancelRequested) break;
      if (failing.has(line.custom_id)) {
        errors.push(
          JSON.stringify({
            id: `batch_req_${++this.#counter}`,
            custom_id: line.custom_id,
            response: {
              status_code: 500,
              request_id: `req_${this.#counter}`,
              body: errorBody('The model failed to answer (scripted)', 'server_error'),
            },
            error: null,
          }),
        );
        batch.counts.failed++;
        continue;
      }
      const answer = await fetch(`${this.#selfUrl()}${line.url.replace(/^\/v1/, '')}`, {
        method: line.method,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(line.body),
      });
      const record = JSON.stringify({
        id: `batch_req_${++this.#counter}`,
        custom_id: line.custom_id,
        response: {
          status_code: answer.status,
          request_id: `req_${this.#counter}`,
          body: await answer.json(),
        },
        error: null,
      });
      if (garbled.has(line.custom_id)) {
        output.push(
          JSON.stringify({
            id: `batch_req_${++this.#counter}`,
            custom_id: line.custom_id,
            response: { status_code: 200, body: { object: 'chat.completion' } },
            error: null,
          }),
        );
        batch.counts.completed++;
      } else if (answer.ok) {
        output.push(record);
        batch.counts.completed++;
      } else {
        errors.push(record);
        batch.counts.failed++;
      }
    }
    const unrun = lines.slice(output.length + errors.length);
    const code = batch.cancelRequested ? 'batch_cancelled' : 'batch_expired';
    for (const line of script.expire && !batch.cancelRequested ? unrun : []) {
      errors.push(
        JSON.stringify({
          id: `batch_req_${++this.#counter}`,
          custom_id: line.custom_id,
          response: null,
          error: {
            code,
            message: 'This request could not be executed before the completion window expired.',
          },
        }),
      );
    }
    if (script.garbageLines) {
      output.push('this is not JSON', JSON.stringify({ response: { status_code: 200, body: {} } }));
    }
    batch.outputFileId = this.#store(output, 'batch_output');
    batch.errorFileId = errors.length > 0 ? this.#store(errors, 'batch_output') : undefined;
    batch.status = batch.cancelRequested ? 'cancelled' : script.expire ? 'expired' : 'completed';
  }

  #store(lines: readonly string[], purpose: string): string {
    const id = `file-${++this.#counter}`;
    this.#files.set(id, {
      id,
      bytes: Buffer.from(lines.map((line) => `${line}\n`).join('')),
      filename: `${id}.jsonl`,
      purpose,
      createdAt: Math.floor(Date.now() / 1000),
    });
    return id;
  }
}

function batchJson(batch: StoredBatch) {
  return {
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    errors: null,
    input_file_id: batch.inputFileId,
    completion_window: '24h',
    status: batch.status,
    output_file_id: batch.outputFileId ?? null,
    error_file_id: batch.errorFileId ?? null,
    created_at: batch.createdAt,
    metadata: batch.metadata,
    request_counts: batch.counts,
  };
}

function fileJson(file: StoredFile) {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes.length,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
  };
}

async function readAll(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function splitBuffer(buffer: Buffer, separator: Buffer): Buffer[] {
  const parts: Buffer[] = [];
  let start = 0;
  for (;;) {
    const at = buffer.indexOf(separator, start);
    if (at < 0) break;
    if (at > start) parts.push(buffer.subarray(start, at));
    start = at + separator.length;
  }
  return parts;
}

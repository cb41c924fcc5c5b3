import { Readable } from 'node:stream';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { problemCatalogue, resourceIdSchema } from '@llmq/contracts';
import { getFile, listFiles } from '@llmq/db/reads';
import {
  type BatchState,
  deleteFacadeFile,
  getBatchState,
  NotFoundError,
  recordFile,
  type StagedUpload,
  stageUploadBytes,
} from '@llmq/engine';
import type { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { nodeResponseOf } from '../streams/open-event-stream.ts';
import { responseSink } from '../streams/response-sink.ts';
import { forEachMultipartFile, TooManyFilesError } from '../uploads/multipart-files.ts';
import { outputExpiryOf } from './batch-body.ts';
import { endpointOfBatch } from './batch-endpoint.ts';
import { batchOutputLines, parseBatchOutputFileId } from './batch-output-file.ts';
import { expiresAfterOfFields } from './expires-after.ts';
import { fileBody, uploadedFile } from './file-body.ts';
import { OpenAIRequestError } from './openai-error.ts';

const listQuerySchema = z.object({
  purpose: z.string().optional(),
  after: resourceIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  order: z.enum(['asc', 'desc']).optional(),
});

const purposes = new Set(['batch', 'user_data', 'vision', 'assistants', 'evals']);

/** The MIME type of an upload: what its name says for text formats the bytes cannot show. */
function uploadType(filename: string, declared: string): string {
  if (/\.jsonl$/i.test(filename)) return 'application/jsonl';
  if (/\.json$/i.test(filename)) return 'application/json';
  if (/\.(txt|md)$/i.test(filename)) return 'text/plain';
  return declared;
}

function fileNotFound(id: string): OpenAIRequestError {
  return new OpenAIRequestError(
    404,
    `No such File object: ${JSON.stringify(id)}`,
    'file_id',
    'file_not_found',
  );
}

/** The id of the path, when it could name a file at all (else 404 before any lookup). */
function fileIdOf(id: string): string {
  if (!resourceIdSchema.safeParse(id).success) throw fileNotFound(id);
  return id;
}

/** A rejection handler that turns llmq's not-found into the facade's own. */
function notFoundAs(replacement: OpenAIRequestError): (error: unknown) => never {
  return (error) => {
    throw error instanceof NotFoundError ? replacement : error;
  };
}

/** The batch whose output file this is, or the facade's 404 (also once the output expired). */
async function outputBatch(
  deps: ApiDependencies,
  id: string,
  batchId: string,
  owner: string | undefined,
): Promise<BatchState> {
  const state = await getBatchState(deps.services, batchId, owner).catch(
    notFoundAs(fileNotFound(id)),
  );
  const expiry = outputExpiryOf(state.batch);
  if (expiry && expiry.getTime() <= Date.now()) throw fileNotFound(id);
  return state;
}

/**
 * `/files`: uploads stored content-addressed like any attachment (a file id names the upload,
 * its attachment the bytes), and each batch's output and error files, built from its items
 * whenever they are read.
 */
export function registerFileRoutes(app: Hono<ApiEnv>, deps: ApiDependencies): void {
  const { services } = deps;

  app.post('/files', async (c) => {
    const { owner } = c.get('caller');
    if (!/^multipart\/form-data\b/i.test(c.req.header('content-type') ?? '')) {
      throw new OpenAIRequestError(
        problemCatalogue.unsupportedMediaType.status,
        'Upload the file as multipart/form-data with the fields file and purpose',
      );
    }
    const fields = new Map<string, string>();
    const checkPurpose = (purpose: string | undefined): string => {
      if (purpose === undefined || !purposes.has(purpose)) {
        throw new OpenAIRequestError(
          400,
          `purpose must be one of ${[...purposes].join(', ')}${purpose ? ` (got ${purpose})` : ''}`,
          'purpose',
        );
      }
      return purpose;
    };
    // Staged until the whole form is known: a purpose refused after the file was read (or
    // none at all) leaves no blob, as well as no row.
    const staged: Array<{ filename: string; upload: StagedUpload }> = [];
    let upload: StagedUpload;
    let filename: string;
    let purpose: string;
    let expiresAfter: ReturnType<typeof expiresAfterOfFields>;
    try {
      try {
        await forEachMultipartFile(
          c.req.raw,
          1,
          async (part) => {
            // A purpose sent before the file is checked before any byte is stored.
            if (fields.has('purpose')) checkPurpose(fields.get('purpose'));
            staged.push({
              filename: part.filename || 'upload',
              upload: await stageUploadBytes(services, part.stream, {
                declaredType: uploadType(part.filename, part.mimeType),
                signal: c.req.raw.signal,
              }),
            });
          },
          (name, value) => fields.set(name, value),
        );
      } catch (error) {
        if (error instanceof TooManyFilesError) {
          throw new OpenAIRequestError(400, 'Send exactly one file, in the field file', 'file');
        }
        throw error;
      }
      const [first] = staged;
      if (!first) {
        throw new OpenAIRequestError(400, 'Send exactly one file, in the field file', 'file');
      }
      purpose = checkPurpose(fields.get('purpose'));
      expiresAfter = expiresAfterOfFields(fields, 'expires_after');
      ({ filename, upload } = first);
    } catch (error) {
      await Promise.all(staged.map((each) => each.upload.discard()));
      throw error;
    }
    // Recorded only now: a refused upload leaves no attachment row and no blob.
    const row = await recordFile(services, await upload.commit(), {
      filename,
      purpose,
      owner: owner ?? null,
      expiresAfterSeconds: expiresAfter?.seconds,
    });
    return c.json(fileBody(uploadedFile(row)), 200);
  });

  app.get('/files', async (c) => {
    const query = listQuerySchema.safeParse(c.req.query());
    if (!query.success) {
      const issue = query.error.issues[0];
      throw new OpenAIRequestError(
        400,
        `Invalid query: ${issue?.path.join('.')}: ${issue?.message}`,
        issue?.path.join('.') ?? null,
      );
    }
    const { purpose, after, limit = 10_000, order = 'desc' } = query.data;
    const rows = await listFiles(services.db, c.get('caller').owner, {
      purpose,
      after,
      limit: limit + 1,
      order,
    });
    const data = rows.slice(0, limit).map((row) => fileBody(uploadedFile(row)));
    return c.json({
      object: 'list',
      data,
      first_id: data[0]?.id ?? null,
      last_id: data.at(-1)?.id ?? null,
      has_more: rows.length > limit,
    });
  });

  app.get('/files/:id', async (c) => {
    const id = fileIdOf(c.req.param('id'));
    const { owner } = c.get('caller');
    const output = parseBatchOutputFileId(id);
    if (output) {
      const { batch } = await outputBatch(deps, id, output.batchId, owner);
      let bytes = 0;
      const endpoint = endpointOfBatch(batch.endpoint);
      for await (const line of batchOutputLines(services.db, batch.id, output.kind, endpoint)) {
        bytes += Buffer.byteLength(line);
      }
      return c.json(
        fileBody({
          id,
          bytes,
          createdAt: batch.completedAt ?? batch.createdAt,
          filename: `batch_${batch.id}_${output.kind}.jsonl`,
          purpose: 'batch_output',
          expiresAt: outputExpiryOf(batch),
        }),
      );
    }
    const row = await getFile(services.db, id, owner);
    if (!row) throw fileNotFound(id);
    return c.json(fileBody(uploadedFile(row)));
  });

  app.get('/files/:id/content', async (c) => {
    const id = fileIdOf(c.req.param('id'));
    const { owner } = c.get('caller');
    const outgoing = nodeResponseOf(c.env);
    const output = parseBatchOutputFileId(id);
    if (output) {
      const { batch } = await outputBatch(deps, id, output.batchId, owner);
      const endpoint = endpointOfBatch(batch.endpoint);
      if (!outgoing)
        throw new OpenAIRequestError(
          problemCatalogue.streamingUnavailable.status,
          'File contents are served only by the Node server',
        );
      outgoing.writeHead(200, { 'content-type': 'application/jsonl' });
      const sink = responseSink(outgoing);
      try {
        for await (const line of batchOutputLines(
          services.db,
          output.batchId,
          output.kind,
          endpoint,
        )) {
          if (sink.signal.aborted) break;
          await sink.write(line);
        }
        outgoing.end();
      } catch (error) {
        // Headers are sent: cutting the connection is the only way to say the file is incomplete.
        deps.logger.warn({ err: error, fileId: id }, 'batch output file cut short');
        outgoing.destroy(error instanceof Error ? error : new Error(String(error)));
      }
      return RESPONSE_ALREADY_SENT as never;
    }
    const row = await getFile(services.db, id, owner);
    if (!row) throw fileNotFound(id);
    const { stream } = await services.blobs.get(row.attachmentId);
    return new Response(Readable.toWeb(stream) as ReadableStream, {
      status: 200,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(row.bytes) },
    });
  });

  app.delete('/files/:id', async (c) => {
    const id = fileIdOf(c.req.param('id'));
    if (parseBatchOutputFileId(id)) {
      throw new OpenAIRequestError(
        400,
        `File ${id} is a batch's output, built from its items whenever read: delete the batch (DELETE /v1/batches/{id} of llmq's API) to remove it`,
        'file_id',
      );
    }
    const row = await deleteFacadeFile(services, id, c.get('caller').owner);
    if (!row) throw fileNotFound(id);
    return c.json({ id: row.id, object: 'file' as const, deleted: true as const });
  });
}

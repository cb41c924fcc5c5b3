import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  attachmentPathSchema,
  attachmentSchema,
  problemCatalogue,
  problemSchema,
  resourceIdSchema,
  uploadedAttachmentListSchema,
  uploadedAttachmentSchema,
} from '@llmq/contracts';
import { getAttachment, listAttachments, visibleAttachmentIds } from '@llmq/db/reads';
import {
  NotFoundError,
  PayloadTooLargeError,
  recordUpload,
  type StagedUpload,
  stageUploadBytes,
  storeUpload,
} from '@llmq/engine';
import { BlobEmptyError } from '@llmq/storage';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { forEachMultipartFile } from '../uploads/multipart-files.ts';
import { parseByteRange } from './byte-range.ts';
import { attachmentBody } from './serializers.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const maxFilesPerUpload = 100;

const uploadRoute = createRoute({
  method: 'post',
  path: '/v1/attachments',
  summary: 'Upload bytes: a raw body with its Content-Type, or multipart/form-data files',
  description:
    'The bytes are hashed while they stream into the blob store; the id is their sha256. A raw body answers one attachment, multipart answers `{data: [...]}`. 201 when any of them is new to this caller, 200 when the caller had uploaded or used every one before (`created` says which, per file; bytes another owner stored count as new). An empty file is refused (422), and a refused upload records no attachment.',
  request: {
    body: {
      required: true,
      content: {
        'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
        'multipart/form-data': {
          schema: z.object({ file: z.string().meta({ format: 'binary' }) }),
        },
      },
    },
  },
  responses: {
    200: {
      description: 'This caller had every one of them already',
      content: {
        'application/json': {
          schema: z.union([uploadedAttachmentSchema, uploadedAttachmentListSchema]),
        },
      },
    },
    201: {
      description: 'Stored: new to this caller',
      content: {
        'application/json': {
          schema: z.union([uploadedAttachmentSchema, uploadedAttachmentListSchema]),
        },
      },
    },
    413: { description: 'Too large', ...problem },
    422: { description: 'Unusable', ...problem },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/attachments',
  summary: 'The attachments this caller uploaded or used, newest first',
  request: {
    query: z.strictObject({
      cursor: resourceIdSchema.optional(),
      limit: z.coerce.number().int().min(1).max(500).optional(),
    }),
  },
  responses: {
    200: {
      description: 'A page',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(attachmentSchema), next_cursor: z.string().nullable() }),
        },
      },
    },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/attachments/{id}',
  summary: "An attachment's metadata",
  request: { params: attachmentPathSchema },
  responses: {
    200: {
      description: 'The attachment',
      content: { 'application/json': { schema: attachmentSchema } },
    },
    404: { description: 'Unknown id', ...problem },
  },
});

const contentRoute = createRoute({
  method: 'get',
  path: '/v1/attachments/{id}/content',
  summary: "An attachment's bytes, with byte ranges",
  request: {
    params: attachmentPathSchema,
    headers: z.object({ range: z.string().optional() }),
  },
  responses: {
    200: {
      description: 'The bytes',
      content: { '*/*': { schema: z.string().meta({ format: 'binary' }) } },
    },
    206: {
      description: 'A range of the bytes',
      content: { '*/*': { schema: z.string().meta({ format: 'binary' }) } },
    },
    404: { description: 'Unknown id', ...problem },
    416: { description: 'Range outside the bytes', ...problem },
  },
});

export function registerAttachmentRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { services } = deps;
  const limit = services.limits.maxAttachmentBytes;

  // Documented, but not validated by zod-openapi: the body is any bytes, streamed as they come.
  app.openAPIRegistry.registerPath(uploadRoute);
  app.post('/v1/attachments', async (c) => {
    const declaredLength = Number(c.req.header('content-length') ?? Number.NaN);
    if (Number.isFinite(declaredLength) && declaredLength > limit + 64 * 1024) {
      throw new PayloadTooLargeError(
        `The upload is ${declaredLength} bytes; the limit is ${limit} bytes (LLMQ_MAX_ATTACHMENT_BYTES)`,
      );
    }
    const signal = c.req.raw.signal;
    const { owner } = c.get('caller');
    const type = c.req.header('content-type') ?? '';
    if (/^multipart\/form-data\b/i.test(type)) {
      // Staged until the whole body is accepted: a refused body (a file too large, empty, of
      // no known type, one file too many) leaves no blob, no attachment row and no grant.
      // Every file staged so far, for the discard; the answers keep the files' order.
      const staged: StagedUpload[] = [];
      let files: StagedUpload[];
      try {
        files = await forEachMultipartFile(c.req.raw, maxFilesPerUpload, async (part) => {
          const file = await stageUploadBytes(services, part.stream, {
            declaredType: part.mimeType,
            signal,
          });
          staged.push(file);
          return file;
        });
        if (files.length === 0) {
          throw new ProblemError(
            problemCatalogue.noFiles,
            'The multipart body holds no file parts: send each file as a part with a filename',
          );
        }
      } catch (error) {
        await Promise.all(staged.map((file) => file.discard()));
        throw error;
      }
      const stored = [];
      for (const [index, file] of files.entries()) {
        try {
          stored.push(await recordUpload(services, await file.commit(), { owner }));
        } catch (error) {
          await Promise.all(files.slice(index + 1).map((rest) => rest.discard()));
          throw error;
        }
      }
      const data = stored.map((item) => ({
        id: item.id,
        type: item.type,
        size: item.size,
        created: item.created,
      }));
      return c.json({ data }, stored.some((item) => item.created) ? 201 : 200);
    }
    if (!c.req.raw.body) throw new BlobEmptyError();
    const stored = await storeUpload(
      services,
      Readable.fromWeb(c.req.raw.body as WebReadableStream<Uint8Array>),
      { declaredType: type || undefined, signal, owner },
    );
    const body = { id: stored.id, type: stored.type, size: stored.size, created: stored.created };
    return c.json(body, stored.created ? 201 : 200);
  });

  /** The attachment, if this caller may see it: another owner's is not found, like a missing one. */
  const visibleAttachment = async (id: string, owner: string | undefined) => {
    const row = await getAttachment(services.db, id);
    if (!row || !(await visibleAttachmentIds(services.db, [id], owner)).has(id)) {
      throw new NotFoundError('attachment', id);
    }
    return row;
  };

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await listAttachments(services.db, {
      owner: c.get('caller').owner,
      cursor: query.cursor,
      limit: query.limit,
    });
    return c.json({ data: page.items.map(attachmentBody), next_cursor: page.nextCursor }, 200);
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await visibleAttachment(id, c.get('caller').owner);
    return c.json(attachmentBody(row), 200);
  });

  app.openapi(contentRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await visibleAttachment(id, c.get('caller').owner);
    const range = parseByteRange(c.req.header('range'), row.size);
    if (range.kind === 'unsatisfiable') {
      c.header('content-range', `bytes */${row.size}`);
      throw new ProblemError(
        problemCatalogue.rangeNotSatisfiable,
        `The attachment has ${row.size} bytes; ask for a range within 0-${row.size - 1}`,
      );
    }
    const read = await services.blobs.get(
      id,
      range.kind === 'range' ? { start: range.start, end: range.end } : undefined,
    );
    const headers: Record<string, string> = {
      'content-type': row.type,
      'content-length': String(read.end - read.start + 1),
      'accept-ranges': 'bytes',
      etag: `"${id}"`,
      'cache-control': 'private, max-age=31536000, immutable',
    };
    if (range.kind === 'range')
      headers['content-range'] = `bytes ${read.start}-${read.end}/${read.size}`;
    return new Response(Readable.toWeb(read.stream) as ReadableStream, {
      status: range.kind === 'range' ? 206 : 200,
      headers,
    }) as never;
  });
}

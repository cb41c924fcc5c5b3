import { batchItemsPage, type Database, getStoredSchema, type ResponseRow } from '@llmq/db/reads';
import type { BatchEndpoint } from './batch-endpoint.ts';
import { completionBody } from './chat-completion-body.ts';
import { responseOfRow } from './response-object.ts';

/** Which results a batch's output file holds: the answers, or the requests that got none. */
export type BatchOutputKind = 'output' | 'errors';

const outputFileId = /^file-(output|errors)-([0-9a-z]+)$/;

/** The id of a batch's output or error file; the file is built from the items when read. */
export function batchOutputFileId(kind: BatchOutputKind, batchId: string): string {
  return `file-${kind}-${batchId}`;
}

export function parseBatchOutputFileId(
  id: string,
): { kind: BatchOutputKind; batchId: string } | undefined {
  const match = outputFileId.exec(id);
  if (!match) return undefined;
  return { kind: match[1] as BatchOutputKind, batchId: match[2] as string };
}

/**
 * One line of OpenAI's batch output format for an item, or nothing if it belongs elsewhere: the
 * answer as a chat completion or, in a `/v1/responses` batch, as a response (whose
 * `text.format` shows the item's schema, when it has one).
 */
export function batchOutputLine(
  row: ResponseRow,
  kind: BatchOutputKind,
  endpoint: BatchEndpoint = '/v1/chat/completions',
  schema?: Record<string, unknown>,
): string | undefined {
  const id = `batch_req_${row.id}`;
  const customId = row.customId;
  if (kind === 'output') {
    if (row.status !== 'succeeded') return undefined;
    return JSON.stringify({
      id,
      custom_id: customId,
      response: {
        status_code: 200,
        request_id: row.id,
        body: endpoint === '/v1/responses' ? responseOfRow(row, { schema }) : completionBody(row),
      },
      error: null,
    });
  }
  if (row.status === 'failed') {
    return JSON.stringify({
      id,
      custom_id: customId,
      response: {
        status_code: 500,
        request_id: row.id,
        body: {
          error: {
            message: row.error ?? 'The request failed',
            type: 'server_error',
            param: null,
            code: row.errorKind,
          },
        },
      },
      error: null,
    });
  }
  if (row.status === 'cancelled') {
    return JSON.stringify({
      id,
      custom_id: customId,
      response: null,
      error: {
        code: 'batch_cancelled',
        message: 'The batch was cancelled before this request ended',
      },
    });
  }
  return undefined;
}

/** The file's lines in item order, page by page: a 100,000-item batch never sits in memory. */
export async function* batchOutputLines(
  db: Database,
  batchId: string,
  kind: BatchOutputKind,
  endpoint: BatchEndpoint,
): AsyncGenerator<string> {
  let after = -1;
  // A batch's items mostly share one schema: each is read once, not once per line.
  const schemas = new Map<string, Record<string, unknown> | undefined>();
  const schemaOf = async (row: ResponseRow) => {
    if (endpoint !== '/v1/responses' || !row.schemaId) return undefined;
    if (!schemas.has(row.schemaId)) {
      schemas.set(row.schemaId, (await getStoredSchema(db, row.schemaId))?.content);
    }
    return schemas.get(row.schemaId);
  };
  for (;;) {
    const page = await batchItemsPage(
      db,
      batchId,
      after,
      1_000,
      kind === 'output' ? 'succeeded' : undefined,
    );
    if (page.length === 0) return;
    for (const row of page) {
      const line = batchOutputLine(row, kind, endpoint, await schemaOf(row));
      if (line !== undefined) yield `${line}\n`;
    }
    after = (page.at(-1) as ResponseRow).batchIndex ?? after;
  }
}

import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { countRowsByTable } from '@llmq/db/reads';
import type { FilesystemBlobStore } from '@llmq/storage';
import { makePng, makeWav, sampleFiles } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-key-for-upload-refusals-0123';
const api = useApi({ adminKeys: [adminKey], maxAttachmentBytes: 64 * 1024 });
const authorization = { authorization: `Bearer ${adminKey}` };

/** Every file in the blob folder (temporary ones included) and every row, to compare. */
async function written() {
  const root = (api().services.blobs as FilesystemBlobStore).root;
  const files = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return {
    files: files.filter((entry) => entry.isFile()).map((entry) => entry.name),
    rows: await countRowsByTable(api().services.database.db),
  };
}

const post = (path: string, body: RequestInit['body'], headers: Record<string, string> = {}) =>
  fetch(`${api().baseUrl}${path}`, {
    method: 'POST',
    body,
    headers: { ...authorization, ...headers },
  });

function form(...files: Array<[Uint8Array, string, string?]>): FormData {
  const body = new FormData();
  for (const [bytes, name, type] of files) {
    body.append('file', new Blob([Buffer.from(bytes)], type ? { type } : {}), name);
  }
  return body;
}

/** A body without Content-Length, so only the streaming limit can stop it. */
function streamed(bytes: Uint8Array): RequestInit {
  return {
    method: 'POST',
    body: new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    }),
    headers: { ...authorization, 'content-type': 'image/png' },
    duplex: 'half',
  } as RequestInit;
}

const tooLarge = new Uint8Array(70 * 1024);
tooLarge.set(sampleFiles.png);

describe('a refused upload writes nothing', () => {
  it.each([
    [
      'an empty raw body',
      () => post('/v1/attachments', new Uint8Array(), { 'content-type': 'image/png' }),
      422,
      'urn:llmq:problem:empty-upload',
    ],
    [
      'an empty multipart file',
      () => post('/v1/attachments', form([new Uint8Array(), 'empty.png', 'image/png'])),
      422,
      'urn:llmq:problem:empty-upload',
    ],
    [
      'a raw body over the limit, streamed',
      () => fetch(`${api().baseUrl}/v1/attachments`, streamed(tooLarge)),
      413,
      'urn:llmq:problem:payload-too-large',
    ],
    [
      'a raw body whose Content-Length is over the limit',
      () => post('/v1/attachments', new Uint8Array(200 * 1024), { 'content-type': 'image/png' }),
      413,
      'urn:llmq:problem:payload-too-large',
    ],
    [
      'a multipart file over the limit',
      () => post('/v1/attachments', form([tooLarge, 'big.png', 'image/png'])),
      413,
      'urn:llmq:problem:payload-too-large',
    ],
    [
      'bytes of no known type, declared as none',
      () =>
        post('/v1/attachments', sampleFiles.text, { 'content-type': 'application/octet-stream' }),
      422,
      'urn:llmq:problem:attachment-type-unknown',
    ],
  ])('%s', async (_case, send, status, type) => {
    const before = await written();
    const problem = await problemOf(await send(), status);
    expect(problem.type).toBe(type);
    expect(await written()).toEqual(before);
  });

  it('sees a stored upload in its counts, so the checks above can fail', async () => {
    const before = await written();
    const response = await post('/v1/attachments', sampleFiles.gif, {
      'content-type': 'image/gif',
    });
    expect(response.status).toBe(201);
    const after = await written();
    expect(after.files.length).toBe(before.files.length + 1);
    expect(after.rows.attachments).toBe((before.rows.attachments ?? 0) + 1);
    expect(after.rows.attachment_owners).toBe((before.rows.attachment_owners ?? 0) + 1);
  });

  it('says what to send instead of an empty file', async () => {
    const problem = await problemOf(
      await post('/v1/attachments', new Uint8Array(), { 'content-type': 'image/png' }),
      422,
    );
    expect(problem.title).toBe('Empty upload');
    expect(problem.detail).toContain("send the file's bytes as the body with their Content-Type");
  });

  it('records no file of a multipart body refused for a later file', async () => {
    const before = await written();
    const problem = await problemOf(
      await post(
        '/v1/attachments',
        form([sampleFiles.webp, 'fine.webp', 'image/webp'], [new Uint8Array(), 'empty.png']),
      ),
      422,
    );
    expect(problem.type).toBe('urn:llmq:problem:empty-upload');
    // The first file's bytes were staged only: neither they nor an attachment are left.
    expect(await written()).toEqual(before);
    const fine = createHash('sha256').update(sampleFiles.webp).digest('hex');
    const listed = await fetch(`${api().baseUrl}/v1/attachments`, { headers: authorization });
    const { data } = (await listed.json()) as { data: Array<{ id: string }> };
    expect(data.map((each) => each.id)).not.toContain(fine);
  });

  it('records nothing for an OpenAI /files upload refused for its purpose', async () => {
    const before = await written();
    const body = form([Buffer.from('{"a":1}\n'), 'input.jsonl']);
    body.append('purpose', 'nonsense');
    const response = await post('/openai/v1/files', body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('purpose');
    expect(await written()).toEqual(before);
  });

  it('writes nothing for an OpenAI /files upload without a purpose', async () => {
    const before = await written();
    const response = await post('/openai/v1/files', form([Buffer.from('{"b":2}\n'), 'in.jsonl']));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('purpose');
    expect(await written()).toEqual(before);
  });

  it('stores an OpenAI /files upload whose purpose comes after the file', async () => {
    const before = await written();
    const body = form([Buffer.from('{"c":3}\n'), 'later.jsonl']);
    body.append('purpose', 'batch');
    const response = await post('/openai/v1/files', body);
    expect(response.status).toBe(200);
    const after = await written();
    expect(after.files.length).toBe(before.files.length + 1);
    expect(after.rows.files).toBe((before.rows.files ?? 0) + 1);
    expect(after.rows.attachments).toBe((before.rows.attachments ?? 0) + 1);
  });

  it('stores every file of an accepted multipart body', async () => {
    const before = await written();
    const response = await post(
      '/v1/attachments',
      form(
        [Buffer.from(makePng(1, 2, 3)), 'a.png', 'image/png'],
        [makeWav(5), 'b.wav', 'audio/wav'],
      ),
    );
    expect(response.status).toBe(201);
    const after = await written();
    expect(after.files.length).toBe(before.files.length + 2);
    expect(after.rows.attachments).toBe((before.rows.attachments ?? 0) + 2);
  });
});

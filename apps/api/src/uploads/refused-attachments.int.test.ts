import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRowsByTable } from '@llmq/db/reads';
import { makePng } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const api = useApi();
const text = Buffer.from('plain words, which the echo model does not take');
const png = Buffer.from(makePng(200, 10, 10, 3));
let files: Server;
let filesUrl = '';
const served: string[] = [];

beforeAll(async () => {
  files = createServer((request, response) => {
    served.push(request.url ?? '');
    const isText = request.url?.endsWith('.txt');
    response.writeHead(200, { 'content-type': isText ? 'text/plain' : 'image/png' });
    response.end(isText ? text : png);
  });
  files.listen(0, '127.0.0.1');
  await once(files, 'listening');
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});

afterAll(() => {
  files.close();
});

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const rows = () => countRowsByTable(api().services.database.db);
const prompt = (attachments: unknown[]) =>
  api().request('POST', '/v1/prompts', { model: 'echo', prompt: 'look', attachments });

describe('a prompt refused for an attachment type writes nothing', () => {
  it('an inline text/plain attachment: 422, no attachment row, no blob', async () => {
    const before = await rows();
    const problem = await problemOf(
      await prompt([{ content: text.toString('base64'), type: 'text/plain' }]),
      422,
    );
    expect(problem.type).toBe('urn:llmq:problem:unsupported-attachment-type');
    expect(problem.detail).toContain("'text/plain'");
    expect(await rows()).toEqual(before);
    expect(await api().services.blobs.has(sha256(text))).toBe(false);
  });

  it('an accepted inline image next to a refused one is not stored either', async () => {
    const before = await rows();
    await problemOf(
      await prompt([
        { content: png.toString('base64'), type: 'image/png' },
        { content: text.toString('base64'), type: 'text/plain' },
      ]),
      422,
    );
    expect(await rows()).toEqual(before);
    expect(await api().services.blobs.has(sha256(png))).toBe(false);
  });

  it('inline bytes of no recognisable type and no declared one: 422, nothing stored', async () => {
    const before = await rows();
    const problem = await problemOf(await prompt([{ content: text.toString('base64') }]), 422);
    expect(problem.type).toBe('urn:llmq:problem:attachment-type-unknown');
    expect(await rows()).toEqual(before);
    expect(await api().services.blobs.has(sha256(text))).toBe(false);
  });

  it('a URL answering text/plain: fetched, refused with 422, nothing stored', async () => {
    const before = await rows();
    served.length = 0;
    await problemOf(await prompt([{ url: `${filesUrl}/notes.txt` }]), 422);
    expect(served).toEqual(['/notes.txt']);
    expect(await rows()).toEqual(before);
    expect(await api().services.blobs.has(sha256(text))).toBe(false);
  });

  it('accepted attachments (inline and by URL) are still stored and linked', async () => {
    const inline = await prompt([{ content: png.toString('base64'), type: 'image/png' }]);
    expect(inline.status).toBe(202);
    expect(await api().services.blobs.has(sha256(png))).toBe(true);
    const before = await rows();
    const byUrl = await prompt([{ url: `${filesUrl}/red.png` }]);
    expect(byUrl.status).toBe(202);
    const after = await rows();
    expect(after.responses).toBe((before.responses ?? 0) + 1);
    // The URL's bytes are linked to the new prompt.
    expect(after.prompt_attachments).toBe((before.prompt_attachments ?? 0) + 1);
  });
});

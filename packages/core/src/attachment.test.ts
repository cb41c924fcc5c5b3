import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleFiles } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Attachment, urlAttachmentId } from './attachment.ts';
import { AttachmentError } from './errors.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('Attachment.id()', () => {
  // Expected values computed with Python: sha256(json.dumps({"url": url}).encode()).hexdigest()
  it.each([
    [
      'a plain URL',
      'https://example.com/image.png',
      '11f452b0566461f421644a31233ac7005d84f103180e8d4788e9da2c12b3cb6f',
    ],
    [
      'a URL with a quote and backslashes',
      'https://example.com/a"b\\\\c.png',
      'e3d00259194bdf767f4f3413bcaed2d25ccf6b44ceec6153c96cccdf2caf9673',
    ],
    [
      'a URL with non-ASCII characters, one above U+FFFF',
      'https://example.com/café/日本.png?q=😀',
      '411959e33e2668ed46c09fca67282184a3678559fc5511bea6ea4606b18767bc',
    ],
    [
      'a URL with a control character and DEL',
      'http://x/\u007f\t',
      '214f9ff49dda202428d0c160142468b70d72d89141140ea654ed99aad40481be',
    ],
  ])('hashes %s exactly as llm does', async (_name, url, expected) => {
    expect(await new Attachment({ url }).id()).toBe(expected);
    expect(urlAttachmentId(url)).toBe(expected);
  });

  it('hashes content bytes with sha256', async () => {
    expect(await new Attachment({ content: sampleFiles.png }).id()).toBe(sha256(sampleFiles.png));
  });

  it('hashes the bytes of the file at a path, the same as the same bytes given as content', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'llmq-attachment-'));
    try {
      const path = join(folder, 'picture.png');
      await writeFile(path, sampleFiles.png);
      expect(await new Attachment({ path }).id()).toBe(sha256(sampleFiles.png));
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('does not include the type in the id', async () => {
    const typed = new Attachment({ content: sampleFiles.png, type: 'text/plain' });
    expect(await typed.id()).toBe(await new Attachment({ content: sampleFiles.png }).id());
  });

  it('hashes empty content as the empty byte string', async () => {
    expect(await new Attachment({ content: new Uint8Array() }).id()).toBe(sha256(new Uint8Array()));
  });
});

describe('Attachment.resolveType() and bytes', () => {
  let server: Server;
  let base: string;
  let requests: string[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`);
      const url = request.url ?? '/';
      const hop = /^\/hop\/(\d+)$/.exec(url);
      if (hop) {
        const remaining = Number(hop[1]);
        response.writeHead(302, {
          location: remaining === 0 ? '/image.png' : `/hop/${remaining - 1}`,
        });
        response.end();
      } else if (url === '/image.png') {
        response.writeHead(200, {
          'content-type': 'image/png',
          'content-length': sampleFiles.png.length,
        });
        response.end(request.method === 'HEAD' ? undefined : sampleFiles.png);
      } else if (url === '/untyped') {
        response.writeHead(200);
        response.end();
      } else {
        response.writeHead(404);
        response.end();
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server.close();
  });

  it('prefers the declared type', async () => {
    expect(
      await new Attachment({ content: sampleFiles.png, type: 'image/jpeg' }).resolveType(),
    ).toBe('image/jpeg');
  });

  it('normalises a declared audio/wave to audio/wav', async () => {
    expect(
      await new Attachment({ content: sampleFiles.wav, type: 'audio/wave' }).resolveType(),
    ).toBe('audio/wav');
  });

  it('sniffs content and files from their magic numbers', async () => {
    expect(await new Attachment({ content: sampleFiles.mp3 }).resolveType()).toBe('audio/mpeg');
    const folder = await mkdtemp(join(tmpdir(), 'llmq-attachment-'));
    try {
      const path = join(folder, 'no-extension');
      await writeFile(path, sampleFiles.wav);
      expect(await new Attachment({ path }).resolveType()).toBe('audio/wav');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses bytes of unknown type with a clear error, never an empty type', async () => {
    const attachment = new Attachment({ content: sampleFiles.text });
    await expect(attachment.resolveType()).rejects.toThrow(AttachmentError);
    await expect(attachment.resolveType()).rejects.toThrow(/Could not determine the type.*declare/);
  });

  it('asks a URL with HEAD, following up to three redirects', async () => {
    requests = [];
    const attachment = new Attachment({ url: `${base}/hop/2` });
    expect(await attachment.resolveType()).toBe('image/png');
    expect(requests).toEqual(['HEAD /hop/2', 'HEAD /hop/1', 'HEAD /hop/0', 'HEAD /image.png']);
  });

  it('fails after exactly four requests when a fourth redirect is needed', async () => {
    requests = [];
    await expect(new Attachment({ url: `${base}/hop/3` }).resolveType()).rejects.toThrow(
      /Too many redirects/,
    );
    expect(requests).toHaveLength(4);
  });

  it('fails clearly when the URL answers an error or gives no content-type', async () => {
    await expect(new Attachment({ url: `${base}/missing` }).resolveType()).rejects.toThrow(
      /HTTP 404/,
    );
    await expect(new Attachment({ url: `${base}/untyped` }).resolveType()).rejects.toThrow(
      /no content-type/,
    );
  });

  it('downloads URL bytes with GET, following redirects', async () => {
    const attachment = new Attachment({ url: `${base}/hop/1` });
    expect(Buffer.from(await attachment.contentBytes())).toEqual(Buffer.from(sampleFiles.png));
    expect(await attachment.base64Content()).toBe(Buffer.from(sampleFiles.png).toString('base64'));
  });

  it('reads bytes from a path and reports a missing file clearly', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'llmq-attachment-'));
    try {
      const path = join(folder, 'a.png');
      await writeFile(path, sampleFiles.png);
      expect(await new Attachment({ path }).base64Content()).toBe(
        Buffer.from(sampleFiles.png).toString('base64'),
      );
      await expect(
        new Attachment({ path: join(folder, 'gone.png') }).contentBytes(),
      ).rejects.toThrow(/Could not read attachment/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

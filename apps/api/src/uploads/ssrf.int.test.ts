import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpFetch } from '@llmq/core';
import { createPublicFetch } from '@llmq/engine';
import { makePng } from '@llmq/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

let publicFetch: HttpFetch;
const logLines: string[] = [];
const api = useApi({
  fetch: (url, init) => publicFetch(url, init),
  logger: pino({ level: 'info' }, { write: (line: string) => logLines.push(line) }),
});
let allowed: Server;
let elsewhere: Server;
let allowedPort = 0;
let elsewherePort = 0;
/** A loopback port nothing listens on, allowed, so fetching from it is refused by the socket. */
let closedPort = 0;
const requestsElsewhere: string[] = [];
const image = makePng(4, 5, 6);

beforeAll(async () => {
  // The one server URL attachments may reach here: a stand-in for the public internet.
  allowed = createServer((request, response) => {
    if (request.url === '/image.png') {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(image);
    } else if (request.url?.startsWith('/redirect')) {
      response.writeHead(302, { location: `http://127.0.0.1:${elsewherePort}/secret` });
      response.end();
    } else {
      response.writeHead(404);
      response.end();
    }
  });
  // A loopback service that must never be reached.
  elsewhere = createServer((request, response) => {
    requestsElsewhere.push(request.url ?? '');
    response.end('internal');
  });
  for (const server of [allowed, elsewhere]) {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  }
  allowedPort = (allowed.address() as AddressInfo).port;
  elsewherePort = (elsewhere.address() as AddressInfo).port;
  const closed = createServer().listen(0, '127.0.0.1');
  await once(closed, 'listening');
  closedPort = (closed.address() as AddressInfo).port;
  closed.close();
  await once(closed, 'close');
  publicFetch = createPublicFetch({
    allowlist: [`127.0.0.1:${allowedPort}`, `127.0.0.1:${closedPort}`],
    // A DNS stub: a public-looking name that resolves to loopback, and one for the allowed host.
    lookup: async (hostname) => {
      if (hostname === 'innocent.example') return [{ address: '127.0.0.1', family: 4 }];
      if (hostname === 'metadata.example') return [{ address: '169.254.169.254', family: 4 }];
      throw new Error(`no such host ${hostname}`);
    },
  });
});

afterAll(() => {
  allowed.close();
  elsewhere.close();
});

async function promptWithUrl(url: string) {
  return api().request('POST', '/v1/prompts', {
    model: 'echo',
    prompt: 'look',
    attachments: [{ url }],
  });
}

describe('URL attachments reach only public addresses', () => {
  it('fetches from an allowed server', async () => {
    const response = await promptWithUrl(`http://127.0.0.1:${allowedPort}/image.png`);
    expect(response.status).toBe(202);
  });

  it.each([
    ['loopback IPv4', () => `http://127.0.0.1:${elsewherePort}/secret`, 'loopback'],
    ['loopback IPv6', () => `http://[::1]:${elsewherePort}/secret`, 'loopback'],
    ['a private network', () => 'http://10.1.2.3/secret', 'private'],
    ['cloud metadata', () => 'http://169.254.169.254/latest/meta-data/', 'linkLocal'],
    [
      'IPv4-mapped IPv6 loopback',
      () => `http://[::ffff:127.0.0.1]:${elsewherePort}/secret`,
      'loopback',
    ],
    [
      'IPv4-compatible IPv6 loopback',
      () => `http://[::127.0.0.1]:${elsewherePort}/secret`,
      'loopback',
    ],
    [
      'IPv4-mapped loopback in hex',
      () => `http://[::ffff:7f00:1]:${elsewherePort}/secret`,
      'loopback',
    ],
    ['NAT64 loopback', () => `http://[64:ff9b::7f00:1]:${elsewherePort}/secret`, 'loopback'],
    ['6to4 loopback', () => `http://[2002:7f00:1::]:${elsewherePort}/secret`, 'loopback'],
    ['IPv4-compatible cloud metadata', () => 'http://[::169.254.169.254]/latest', 'linkLocal'],
    [
      'a public-looking name that resolves to loopback',
      () => `http://innocent.example:${elsewherePort}/secret`,
      'loopback',
    ],
    [
      'a name that resolves to the metadata address',
      () => 'http://metadata.example/latest',
      'linkLocal',
    ],
    [
      'a redirect from the allowed server to loopback',
      () => `http://127.0.0.1:${allowedPort}/redirect`,
      'loopback',
    ],
  ])('refuses %s with a clear problem', async (_case, url, range) => {
    const problem = await problemOf(await promptWithUrl(url()), 422);
    expect(problem.type).toBe('urn:llmq:problem:attachment-unreadable');
    expect(problem.detail).toContain(
      `(${range}): attachments are fetched only from public addresses`,
    );
    expect(requestsElsewhere).toEqual([]);
  });

  it('says a URL could not be fetched without echoing the socket error, which it logs', async () => {
    const url = `http://127.0.0.1:${closedPort}/image.png`;
    const problem = await problemOf(await promptWithUrl(url), 422);
    expect(problem.type).toBe('urn:llmq:problem:attachment-unreadable');
    expect(problem.detail).toBe(
      `${url} could not be fetched: no answer came from its server. Check that the URL opens from the public internet, or send the file's bytes instead of its URL`,
    );
    expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|connect /);
    const logged = logLines.map((line) => JSON.parse(line)).find((line) => line.url === url);
    expect(logged?.msg).toBe('a URL attachment could not be fetched');
    expect(JSON.stringify(logged?.err)).toContain('ECONNREFUSED');
  });

  it('refuses schemes other than http and https', async () => {
    const problem = await problemOf(await promptWithUrl('file:///etc/passwd'), 422);
    expect(problem.errors?.[0]?.path).toBe('attachments.0.url');
  });
});

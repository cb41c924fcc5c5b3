import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWebhook } from './send-webhook.ts';
import { WebhookSigner } from './webhook-signer.ts';
import { checkWebhookUrl, WebhookUrlError, webhookUrlOf } from './webhook-url.ts';

const signer = WebhookSigner.fromSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
const publicLookup = async () => [{ address: '93.184.216.34', family: 4 }];

describe('checkWebhookUrl', () => {
  it('takes a public http(s) URL and gives back the addresses it checked', async () => {
    const checked = await checkWebhookUrl('https://hooks.example.com/llmq', {
      allowlist: [],
      lookup: publicLookup,
    });
    expect(checked.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data', /169\.254\.169\.254 \(linkLocal\)/],
    ['http://127.0.0.1:9/hook', /127\.0\.0\.1 \(loopback\)/],
    ['http://[::ffff:10.0.0.1]/hook', /private/],
    ['http://192.168.1.20/hook', /private/],
    ['ftp://example.com/hook', /only http and https/],
    ['https://user:secret@example.com/hook', /credentials/],
    ['not a url', /is not a URL/],
  ])('refuses %s', async (url, rule) => {
    const refusal = checkWebhookUrl(url, { allowlist: [], lookup: publicLookup });
    await expect(refusal).rejects.toBeInstanceOf(WebhookUrlError);
    await expect(refusal).rejects.toThrow(rule);
  });

  it('refuses a name any of whose addresses is private (a name that also points inside)', async () => {
    const lookup = async () => [
      { address: '93.184.216.34', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
    await expect(
      checkWebhookUrl('https://mixed.example.com/', { allowlist: [], lookup }),
    ).rejects.toThrow(/10\.1\.2\.3 \(private\)/);
  });

  it('lets LLMQ_URL_ALLOWLIST open a private host, by name, host:port or range', async () => {
    const lookup = async () => [{ address: '10.1.2.3', family: 4 }];
    for (const allowlist of [['hooks.internal'], ['hooks.internal:8080'], ['10.0.0.0/8']]) {
      await expect(
        checkWebhookUrl('http://hooks.internal:8080/x', { allowlist, lookup }),
      ).resolves.toMatchObject({ addresses: [{ address: '10.1.2.3' }] });
    }
    await expect(
      checkWebhookUrl('http://hooks.internal:9090/x', {
        allowlist: ['hooks.internal:8080'],
        lookup,
      }),
    ).rejects.toBeInstanceOf(WebhookUrlError);
  });

  it('webhookUrlOf: the request’s URL checked, else the key’s', async () => {
    const rules = { allowlist: [], lookup: publicLookup };
    await expect(webhookUrlOf(rules, undefined, 'https://key.example.com/')).resolves.toBe(
      'https://key.example.com/',
    );
    await expect(webhookUrlOf(rules, 'https://own.example.com/h', undefined)).resolves.toBe(
      'https://own.example.com/h',
    );
    await expect(
      webhookUrlOf(rules, 'http://127.0.0.1/', 'https://key.example.com/'),
    ).rejects.toThrow(WebhookUrlError);
  });
});

describe('sendWebhook', () => {
  let server: Server;
  let port = 0;
  const seen: Array<{ path: string; headers: IncomingMessage['headers']; body: string }> = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (request.url === '/redirect') {
          response.writeHead(302, { location: '/ok' }).end();
        } else if (request.url === '/slow') {
          // Never answers: the attempt's time limit ends it.
        } else if (request.url === '/big-refusal') {
          response.writeHead(500).end('x'.repeat(100_000));
        } else {
          response.writeHead(204).end();
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    server.close();
  });

  // A name nobody resolves: only the checked (stubbed) address can be where the request went.
  // A delivery's time limit is generous (a loaded machine's first connection compiles undici's
  // parser inside it); only the receiver that never answers gets a short one.
  const options = (timeoutMs = 10_000) => ({
    signer,
    timeoutMs,
    rules: {
      allowlist: [`hooks.test:${port}`],
      lookup: async () => [{ address: '127.0.0.1', family: 4 }],
    },
    now: () => 1_796_315_400_000,
  });

  it('posts the body signed, to the address it checked, and takes a 2xx as delivered', async () => {
    const answer = await sendWebhook(
      { id: 'msg_1', url: `http://hooks.test:${port}/ok`, payload: '{"type":"prompt.succeeded"}' },
      options(),
    );
    expect(answer).toEqual({ delivered: true, statusCode: 204, error: null });
    const request = seen.find((entry) => entry.path === '/ok');
    expect(request?.body).toBe('{"type":"prompt.succeeded"}');
    expect(request?.headers['webhook-id']).toBe('msg_1');
    expect(request?.headers['webhook-timestamp']).toBe('1796315400');
    expect(request?.headers['webhook-signature']).toBe(
      signer.sign('msg_1', 1_796_315_400, '{"type":"prompt.succeeded"}'),
    );
  });

  it('does not follow a redirect', async () => {
    const answer = await sendWebhook(
      { id: 'msg_2', url: `http://hooks.test:${port}/redirect`, payload: '{}' },
      options(),
    );
    expect(answer).toMatchObject({ delivered: false, statusCode: 302 });
    expect(seen.filter((entry) => entry.headers['webhook-id'] === 'msg_2')).toHaveLength(1);
  });

  it('gives up on a receiver that does not answer in time', async () => {
    const answer = await sendWebhook(
      { id: 'msg_3', url: `http://hooks.test:${port}/slow`, payload: '{}' },
      options(300),
    );
    expect(answer).toEqual({
      delivered: false,
      statusCode: null,
      error: 'no answer within 300 ms',
    });
  });

  it('keeps only a snippet of a refusal’s body', async () => {
    const answer = await sendWebhook(
      { id: 'msg_4', url: `http://hooks.test:${port}/big-refusal`, payload: '{}' },
      options(),
    );
    expect(answer.statusCode).toBe(500);
    expect(answer.error?.length).toBeLessThan(600);
  });

  it('checks the URL again at delivery: a name that now resolves inside is not called', async () => {
    const before = seen.length;
    const answer = await sendWebhook(
      { id: 'msg_5', url: `http://rebound.test:${port}/ok`, payload: '{}' },
      {
        ...options(),
        rules: { allowlist: [], lookup: async () => [{ address: '127.0.0.1', family: 4 }] },
      },
    );
    expect(answer.delivered).toBe(false);
    expect(answer.error).toMatch(/loopback/);
    expect(seen.length).toBe(before);
  });
});

describe('WebhookSigner', () => {
  it('keeps its secret as whsec_ and base64, and signs with the secret’s bytes', () => {
    const generated = WebhookSigner.generate();
    const again = WebhookSigner.fromSecret(generated.secret);
    expect(generated.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(again.sign('id', 1, 'body')).toBe(generated.sign('id', 1, 'body'));
    expect(WebhookSigner.generate().sign('id', 1, 'body')).not.toBe(
      generated.sign('id', 1, 'body'),
    );
  });
});

import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

interface Answer {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: string;
}

/** A GET over the socket with the Host header a browser page would send (fetch cannot set it). */
function getWithHost(baseUrl: string, path: string, host: string, key?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host };
    if (key) headers.authorization = `Bearer ${key}`;
    const outgoing = request(new URL(path, baseUrl), { headers }, (incoming) => {
      let body = '';
      incoming.setEncoding('utf8');
      incoming.on('data', (text: string) => {
        body += text;
      });
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          contentType: incoming.headers['content-type'],
          body,
        }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('without API keys (loopback only)', () => {
  const api = useApi();

  it('refuses a request addressed to another host (a DNS-rebinding page), saying why and what to do', async () => {
    const port = new URL(api().baseUrl).port;
    for (const path of ['/v1/models', '/openai/v1/models', '/openapi.json']) {
      for (const host of [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1.evil.example:${port}`,
      ]) {
        const answer = await getWithHost(api().baseUrl, path, host);
        expect(answer.status, `${path} ${host}`).toBe(403);
        expect(answer.contentType).toMatch(/^application\/problem\+json/);
        const problem = JSON.parse(answer.body) as { type: string; detail: string };
        expect(problem.type).toBe('urn:llmq:problem:forbidden');
        expect(problem.detail).toContain('no API keys');
        expect(problem.detail).toContain('LLMQ_API_KEYS');
        expect(problem.detail).toContain('localhost, 127.0.0.1 or [::1]');
      }
    }
  });

  it('answers requests addressed to a loopback name or address, with any port', async () => {
    const port = new URL(api().baseUrl).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, '127.0.0.2']) {
      expect((await getWithHost(api().baseUrl, '/v1/models', host)).status, host).toBe(200);
    }
    // In process, Hono's own requests are addressed to localhost.
    expect((await api().app.request('/v1/models')).status).toBe(200);
    expect((await api().app.request('http://evil.example/v1/models')).status).toBe(403);
  });
});

describe('with API keys', () => {
  const adminKey = 'admin-key-for-host-guard-0123456789';
  const api = useApi({ adminKeys: [adminKey] });

  it('leaves any host to the key: no key is 401, an admin key is answered', async () => {
    const withoutKey = await getWithHost(api().baseUrl, '/v1/models', 'evil.example');
    expect(withoutKey.status).toBe(401);
    expect(withoutKey.body).not.toContain('no API keys');
    const withKey = await getWithHost(api().baseUrl, '/v1/models', 'evil.example', adminKey);
    expect(withKey.status).toBe(200);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqClient } from '@llmq/client';
import {
  createTestDatabase,
  createTestRedis,
  startServiceProcess,
  type TestDatabase,
  waitFor,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = new URL('./main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let folder: string;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-drain-'));
});

afterAll(async () => {
  await testDatabase?.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

/** Everything a raw socket receives, and a way to wait until it holds something. */
function recorded(socket: Socket) {
  let text = '';
  let ended = false;
  socket.on('data', (bytes) => {
    text += bytes.toString('utf8');
  });
  socket.on('close', () => {
    ended = true;
  });
  return {
    text: () => text,
    ended: () => ended,
    waitFor: (pattern: RegExp, what: string) =>
      waitFor(() => pattern.test(text) || ended, what, 20_000).then(() => {
        if (!pattern.test(text)) throw new Error(`the socket closed before ${what}:\n${text}`);
      }),
  };
}

describe('SIGTERM on the api', () => {
  it('drains: /readyz 503, no new connections, in-flight requests finish, SSE streams end with a retry hint, exit 0', async () => {
    const api = startServiceProcess(entry, {
      PORT: '0',
      DATABASE_URL: testDatabase.url,
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      LLMQ_DATA_DIR: join(folder, 'data'),
      STORAGE_URL: `file://${join(folder, 'blobs')}`,
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      LLMQ_EMBEDDED_WORKER: 'true',
      LLMQ_HTTP_DRAIN_MS: '20000',
      LLMQ_SHUTDOWN_GRACE_MS: '200',
      LLMQ_SSE_KEEPALIVE_MS: '60000',
    });
    try {
      const line = await api.waitForLine(/llmq listening on/, 60_000);
      const url = new URL((JSON.parse(line) as { url: string }).url);
      const client = new LlmqClient({ baseUrl: url.origin });
      const port = Number(url.port);

      // A prompt that runs for a long while, followed live over SSE.
      const running = await client.createPrompt({
        model: 'echo',
        prompt: 'slow '.repeat(100),
        options: { chunk_size: 1, delay_ms: 100 },
      });
      const sse = connect(port, url.hostname);
      const stream = recorded(sse);
      sse.write(`GET /v1/prompts/${running.id}/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await stream.waitFor(/event: chunk/, 'the first chunk');

      // An upload in flight: the api has read its headers (100 Continue), not yet its body.
      const body = 'GIF89a uploaded while the api drains';
      const upload = connect(port, url.hostname);
      const answers = recorded(upload);
      upload.write(
        `POST /v1/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/gif\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
      await answers.waitFor(/^HTTP\/1\.1 100 Continue/, '100 Continue');

      api.kill('SIGTERM');
      await api.waitForLine(/draining http/);

      // The stream ends cleanly, with no final event: the client reconnects elsewhere.
      await waitFor(stream.ended, 'the SSE stream to end', 20_000);
      expect(stream.text()).toContain('\nretry: 1000\n\n');
      expect(stream.text()).toMatch(/0\r\n\r\n$/);
      expect(stream.text()).not.toMatch(/event: (done|error)/);

      // New connections are refused.
      const refused = await new Promise<string>((resolve) => {
        const probe = httpRequest({ port, host: url.hostname, path: '/healthz' }, () =>
          resolve('answered'),
        );
        probe.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        probe.end();
      });
      expect(refused).toBe('ECONNREFUSED');

      // The upload finishes with its normal answer; /readyz, asked on the same connection
      // (the only way in now), says the process is draining.
      upload.write(`${body}GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await answers.waitFor(/"draining":true/, 'the readiness answer');
      const responses = answers.text().split(/(?=HTTP\/1\.1 )/);
      expect(responses[1]).toMatch(/^HTTP\/1\.1 201 /);
      expect(responses[1]).toContain(`"size":${body.length}`);
      expect(responses[2]).toMatch(/^HTTP\/1\.1 503 /);
      expect(responses[2]).toContain('"status":"unavailable"');

      expect(await api.exited).toBe(0);
      const drained = JSON.parse(api.lines.find((text) => text.includes('"http drained"')) ?? '{}');
      console.info('drain log:', drained);
      expect(drained).toMatchObject({ streamsEnded: 1, requestsCut: 0 });
      expect(drained.requestsInFlight).toBeGreaterThanOrEqual(2);
    } finally {
      api.kill('SIGKILL');
      // Gone before the harness drops its database.
      await api.exited;
    }
  }, 120_000);
});

import { Writable } from 'node:stream';
import { createLogger } from '@llmq/logging';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { requestLogger } from './request-logger.ts';

function capturedLines() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger('llmq-api', 'info', sink) };
}

describe('requestLogger', () => {
  it('logs one line per request with its id, method, path without the query, status and duration', async () => {
    const { lines, logger } = capturedLines();
    const app = new Hono()
      .use(requestLogger(logger))
      .get('/v1/prompts/:id/stream', (c) => c.text('ok', 201));
    const response = await app.request('/v1/prompts/p1/stream?token=secret-token', {
      headers: { 'x-request-id': 'request-7' },
    });
    expect(response.headers.get('x-request-id')).toBe('request-7');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request',
      name: 'llmq-api',
      requestId: 'request-7',
      method: 'GET',
      path: '/v1/prompts/p1/stream',
      status: 201,
    });
    expect(typeof lines[0]?.durationMs).toBe('number');
    // The line skips redaction: a field added to it must be one that can never hold a secret.
    expect(Object.keys(lines[0] ?? {}).sort()).toEqual(
      [
        'durationMs',
        'hostname',
        'level',
        'method',
        'msg',
        'name',
        'path',
        'pid',
        'requestId',
        'status',
        'time',
      ].sort(),
    );
    expect(JSON.stringify(lines)).not.toContain('secret-token');
  });

  it('gives a request without an id a fresh one, in the header and the line', async () => {
    const { lines, logger } = capturedLines();
    const app = new Hono().use(requestLogger(logger)).get('/x', (c) => c.text('ok'));
    const first = await app.request('/x');
    const second = await app.request('/x');
    const ids = [first, second].map((response) => response.headers.get('x-request-id'));
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[1]).not.toBe(ids[0]);
    expect(lines.map((line) => line.requestId)).toEqual(ids);
  });

  it('leaves the redaction of every other line to the parent logger', () => {
    const { lines, logger } = capturedLines();
    requestLogger(logger);
    logger.info({ token: 'secret-token' }, 'other');
    expect(lines[0]?.token).toBe('[redacted]');
  });
});

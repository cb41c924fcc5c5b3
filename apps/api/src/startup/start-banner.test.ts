import { describe, expect, it } from 'vitest';
import { placeOf, type StartFacts, startBanner } from './start-banner.ts';

const laptop: StartFacts = {
  url: 'http://127.0.0.1:3000',
  console: true,
  databaseUrl: undefined,
  redisUrl: 'redis://127.0.0.1:40001',
  privateRedis: true,
  storageUrl: undefined,
  dataFolder: '/home/me/llmq/.llmq',
  embeddedWorker: true,
  authentication: false,
};

describe('startBanner', () => {
  it('shows a laptop start: the URLs, PGlite, the data folder, the private Redis, auth off', () => {
    expect(startBanner(laptop)).toBe(
      [
        'llmq is running at http://127.0.0.1:3000',
        '  Console      http://127.0.0.1:3000/',
        '  API docs     http://127.0.0.1:3000/docs',
        '  OpenAPI      http://127.0.0.1:3000/openapi.json',
        '  OpenAI base  http://127.0.0.1:3000/openai/v1',
        '  Mode         laptop: embedded PGlite database',
        '  Data         /home/me/llmq/.llmq',
        '  Redis        a private redis-server (redis://127.0.0.1:40001), its data in the data folder',
        '  Blobs        files in the data folder',
        '  Worker       inside this process',
        '  Auth         off: no API keys, loopback only (set LLMQ_API_KEYS to turn it on)',
        'Stop it with Ctrl-C.',
        '',
      ].join('\n'),
    );
  });

  it("names a fleet start's hosts without their passwords, and auth on", () => {
    const banner = startBanner({
      ...laptop,
      console: false,
      databaseUrl: 'postgres://llmq:db-secret@db.internal:5432/llmq?sslmode=require',
      redisUrl: 'redis://:redis-secret@cache.internal:6379/2',
      privateRedis: false,
      storageUrl: 's3://blobs?region=eu-west-1&secret=storage-secret',
      dataFolder: undefined,
      embeddedWorker: false,
      authentication: true,
    });
    expect(banner).toContain('Mode         fleet: PostgreSQL at postgres://db.internal:5432/llmq');
    expect(banner).toContain('Redis        redis://cache.internal:6379/2');
    expect(banner).toContain('Blobs        s3://blobs');
    expect(banner).toContain('Worker       separate processes (apps/worker)');
    expect(banner).toContain('Auth         on: requests need an API key');
    expect(banner).not.toContain('Console');
    expect(banner).not.toMatch(/secret/);
  });
});

describe('placeOf', () => {
  it('keeps the scheme, host and path of a URL, never what could be a secret', () => {
    expect(placeOf('postgres://user:pw@host:5432/db?password=x')).toBe('postgres://host:5432/db');
    expect(placeOf('not a url')).toBe('(a URL that does not parse)');
  });
});

import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { prettyDestination } from './pretty-destination.ts';

function prettyLogger() {
  const written: string[] = [];
  const logger = createLogger(
    'llmq-test',
    'info',
    prettyDestination({ write: (text) => written.push(text) }, false),
  );
  return { written, logger };
}

describe('prettyDestination', () => {
  it('writes a request as one short line: method, path, status and duration', () => {
    const { written, logger } = prettyLogger();
    logger.info(
      { requestId: 'request-7', method: 'GET', path: '/v1/prompts', status: 200, durationMs: 12 },
      'request',
    );
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: GET \/v1\/prompts 200 12ms\n$/);
  });

  it('writes other lines readably, each on one line with its fields, keys and tokens still redacted', () => {
    const { written, logger } = prettyLogger();
    logger.warn({ host: '127.0.0.1', token: 'secret-token' }, 'no API keys configured');
    const text = written.join('');
    expect(text).toContain('WARN: no API keys configured');
    expect(text).toContain('"host":"127.0.0.1"');
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('{"level"');
    expect(written).toHaveLength(1);
    expect(text.trimEnd()).not.toContain('\n');
  });
});

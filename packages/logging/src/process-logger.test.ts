import { describe, expect, it } from 'vitest';
import { createProcessLogger } from './process-logger.ts';

function output(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, write: (text: string) => written.push(text) };
}

describe('createProcessLogger', () => {
  it('writes readable lines on a terminal, a request as one short line', () => {
    const terminal = output(true);
    const { logger, format } = createProcessLogger({
      name: 'llmq-worker',
      level: 'info',
      format: 'auto',
      output: terminal,
    });
    expect(format).toBe('pretty');
    logger.info({ method: 'GET', path: '/healthz', status: 200, durationMs: 3 }, 'request');
    expect(terminal.written).toHaveLength(1);
    expect(terminal.written[0]).toMatch(/INFO: GET \/healthz 200 3ms\n$/);
  });

  it('writes JSON lines elsewhere, named after the process, with keys and tokens redacted', () => {
    const pipe = output(false);
    const { logger, format } = createProcessLogger({
      name: 'llmq-worker',
      level: 'info',
      format: 'auto',
      output: pipe,
    });
    expect(format).toBe('json');
    logger.info({ apiKey: 'sk-secret', job: { token: 'secret-token' } }, 'started');
    const line = JSON.parse(pipe.written.join('')) as Record<string, unknown>;
    expect(line).toMatchObject({ name: 'llmq-worker', msg: 'started', apiKey: '[redacted]' });
    expect(pipe.written.join('')).not.toContain('secret');
  });

  it('follows an explicit format whatever the output is', () => {
    const common = { name: 'llmq-api', level: 'info' } as const;
    expect(createProcessLogger({ ...common, format: 'json', output: output(true) }).format).toBe(
      'json',
    );
    expect(createProcessLogger({ ...common, format: 'pretty', output: output(false) }).format).toBe(
      'pretty',
    );
  });
});

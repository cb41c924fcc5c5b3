import { Writable } from 'node:stream';
import { newId } from '@llmq/core';
import { waitFor } from '@llmq/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import type { JobObserver } from './job-observer.ts';

const harness = useEngineHarness();

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: pino({ level: 'info' }, sink) };
}

describe('a job whose prompt the database does not have', () => {
  it('fails once, stays in the failed set, and is logged and counted', async () => {
    const { queue, prefix } = harness();
    const { lines, logger } = capturedLogger();
    let missing = 0;
    const observer: JobObserver = {
      started: () => undefined,
      firstChunk: () => undefined,
      promptMissing: () => {
        missing += 1;
      },
      ended: () => undefined,
    };
    harness().startWorker(2, { logger, observer });
    const promptId = newId();
    // As another service on the same Redis and prefix would: a job, and no row here.
    await queue.add({ promptId, model: 'echo' });

    const echoQueue = queue.queueFor('echo');
    await waitFor(
      async () => (await echoQueue.getJobState(promptId)) === 'failed',
      'the job to fail',
    );
    const job = await echoQueue.getJob(promptId);
    expect(job?.attemptsMade).toBe(1);
    expect(job?.failedReason).toContain(
      `Prompt ${promptId} does not exist in this service's database: another llmq service may share this Redis and queue prefix`,
    );
    expect((await echoQueue.getFailed()).map((failed) => failed.id)).toContain(promptId);

    await waitFor(() => lines.some((line) => line.promptId === promptId), 'the log line');
    const line = lines.find((each) => each.promptId === promptId);
    expect(line).toMatchObject({
      level: 50,
      queue: 'prompts.echo',
      prefix,
      likelyCause:
        'another llmq service shares this Redis and queue prefix, or the prompt was deleted',
    });
    expect(line?.msg).toContain(`kept in ${prefix}:prompts.echo's failed set`);
    expect(missing).toBe(1);
  });
});

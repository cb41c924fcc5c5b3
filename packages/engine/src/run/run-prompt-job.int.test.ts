import { Attachment, newId } from '@llmq/core';
import { completePrompt, createQueuedPrompt, getPrompt, markPromptsRunning } from '@llmq/db';
import { EchoModel } from '@llmq/plugin-echo';
import { sampleFiles, waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { PromptCancelledError } from '../failures/abort-reasons.ts';
import { SchemaStore } from '../schemas/schema-store.ts';
import { ToolCatalogue } from '../tools/tool-catalogue.ts';
import { createAttemptStore } from './attempt-store.ts';
import { runPromptJob } from './run-prompt-job.ts';

const harness = useEngineHarness();

async function finished(promptId: string) {
  const { database } = harness();
  await waitFor(async () => {
    const row = await getPrompt(database.db, promptId);
    return row !== undefined && ['succeeded', 'failed', 'cancelled'].includes(row.status);
  }, `prompt ${promptId} to end`);
  return (await getPrompt(database.db, promptId)) as NonNullable<
    Awaited<ReturnType<typeof getPrompt>>
  >;
}

const textOf = (entries: Array<{ event: { type: string; text?: string } }>) =>
  entries.map((entry) => (entry.event.type === 'chunk' ? entry.event.text : '')).join('');

describe('prompt jobs through the queue and the worker', () => {
  it('runs an echo job end to end: stored row, event log and usage', async () => {
    const { deps } = harness();
    harness().startWorker();
    const image = new Attachment({ content: sampleFiles.png });
    const id = await harness().enqueue({
      prompt: 'describe the image',
      system: 'be exact',
      options: { chunk_size: 8 },
      attachments: [image],
    });
    const row = await finished(id);
    const expected = await new EchoModel().prompt('describe the image', {
      system: 'be exact',
      options: { chunk_size: 8 },
      attachments: [image],
    });
    expect(row).toMatchObject({
      status: 'succeeded',
      attempts: 1,
      response: expected.text(),
      inputTokens: 3,
      outputTokens: expected.usage().output,
    });
    expect(row.durationMs).toBeGreaterThanOrEqual(0);
    expect(row.datetimeUtc).toBeInstanceOf(Date);
    expect(row.promptJson).toEqual([
      { role: 'system', parts: [{ type: 'text', text: 'be exact' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'describe the image' },
          { type: 'attachment', id: await image.id(), mime: 'image/png' },
        ],
      },
    ]);
    const log = await deps.events.read(id);
    expect(log.map((entry) => entry.event.type)).toEqual([
      'status',
      'status',
      ...log.filter((entry) => entry.event.type === 'chunk').map(() => 'chunk'),
      'done',
    ]);
    expect(log[0]?.event).toEqual({ type: 'status', status: 'queued', attempt: 0 });
    expect(log[1]?.event).toEqual({ type: 'status', status: 'running', attempt: 1 });
    expect(textOf(log)).toBe(row.response);
    expect(log.at(-1)?.event).toMatchObject({
      type: 'done',
      status: 'succeeded',
      usage: { input: 3, output: expected.usage().output, details: null },
    });
  });

  it('retries a retryable failure: a restart event, two attempts, the text stored once', async () => {
    const { deps } = harness();
    harness().startWorker();
    const options = { fail: 'retryable', fail_attempts: 1, fail_after_chunks: 3, chunk_size: 4 };
    const id = await harness().enqueue({ prompt: 'try twice', options });
    const row = await finished(id);
    const expected = await new EchoModel().prompt('try twice', { options, attempt: 2 });
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, response: expected.text() });
    const log = await deps.events.read(id);
    const types = log.map((entry) => entry.event.type);
    const restartAt = types.indexOf('restart');
    expect(log[restartAt]?.event).toEqual({ type: 'restart', attempt: 2 });
    // The first attempt's partial text, then the second attempt's whole text after the restart.
    expect(textOf(log.slice(0, restartAt))).toBe(expected.text().slice(0, 12));
    expect(textOf(log.slice(restartAt))).toBe(expected.text());
    expect(types.filter((type) => type === 'done')).toHaveLength(1);
  });

  it('fails a non-retryable error after one attempt, with an error event', async () => {
    const { deps } = harness();
    harness().startWorker();
    const id = await harness().enqueue({ prompt: 'fail', options: { fail: 'fatal' } });
    const row = await finished(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, errorKind: 'ModelError' });
    expect(row.error).toMatch(/echo failed on purpose/);
    const last = (await deps.events.read(id)).at(-1)?.event;
    expect(last).toEqual({
      type: 'error',
      status: 'failed',
      error: { kind: 'ModelError', message: row.error },
    });
  });

  it('fails after the last attempt of an error that stays retryable', async () => {
    harness().startWorker();
    const id = await harness().enqueue({ prompt: 'never', options: { fail: 'retryable' } });
    const row = await finished(id);
    expect(row).toMatchObject({ status: 'failed', attempts: 3, errorKind: 'ModelError' });
  });

  it('replays earlier turns, with their attachments, to the next turn', async () => {
    harness().startWorker();
    const image = new Attachment({ content: sampleFiles.gif });
    const first = await harness().enqueue({
      prompt: 'one',
      system: 'seed',
      attachments: [image],
      conversationId: 'conversation-replay',
    });
    const firstRow = await finished(first);
    const second = await harness().enqueue({
      prompt: 'two',
      conversationId: 'conversation-replay',
    });
    const secondRow = await finished(second);
    const described = JSON.parse(secondRow.response ?? '{}');
    expect(described.previous).toEqual([
      {
        prompt: 'one',
        attachments: [{ type: 'image/gif', id: await image.id(), size: sampleFiles.gif.length }],
        response: firstRow.response,
      },
    ]);
  });

  it('stops a running job when its prompt is cancelled, storing nothing', async () => {
    const { deps, database } = harness();
    const worker = harness().startWorker();
    const id = await harness().enqueue({
      prompt: 'slow',
      options: { delay_ms: 100, chunk_size: 2 },
    });
    await waitFor(() => worker.runningIds().includes(id), 'the job to start');
    const { cancelPrompt } = await import('@llmq/db');
    await cancelPrompt(database.db, id);
    await deps.events.append(id, {
      type: 'error',
      status: 'cancelled',
      error: { kind: 'Cancelled', message: 'cancelled' },
    });
    expect(worker.abort(id, new PromptCancelledError(id))).toBe(true);
    await waitFor(() => !worker.runningIds().includes(id), 'the job to stop');
    const row = await getPrompt(database.db, id);
    expect(row).toMatchObject({ status: 'cancelled', response: null });
    expect((await deps.events.read(id)).at(-1)?.event.type).toBe('error');
  });

  it('hands running jobs back at shutdown, and they finish on another worker', async () => {
    const first = harness().startWorker();
    const id = await harness().enqueue({
      prompt: 'handed back',
      options: { delay_ms: 50, chunk_size: 4 },
    });
    await waitFor(() => first.runningIds().includes(id), 'the job to start');
    await first.close(100);
    harness().startWorker();
    const row = await finished(id);
    const expected = await new EchoModel().prompt('handed back', {
      options: { delay_ms: 50, chunk_size: 4 },
    });
    expect(row).toMatchObject({ status: 'succeeded', response: expected.text(), attempts: 2 });
  });

  it('closes the log that an attempt dying between storing its answer and appending done left open', async () => {
    const { deps, database } = harness();
    const id = newId();
    await createQueuedPrompt(database.db, {
      id,
      model: 'echo',
      prompt: 'stored, then killed',
      options: {},
      conversationId: newId(),
      attachments: [],
    });
    await markPromptsRunning(database.db, [{ id, attempt: 1 }]);
    await deps.events.append(id, { type: 'chunk', text: 'the answer' });
    await completePrompt(database.db, id, 1, {
      response: 'the answer',
      responseJson: null,
      promptJson: null,
      inputTokens: 3,
      outputTokens: 2,
      tokenDetails: null,
      durationMs: 12,
      datetimeUtc: new Date(),
      resolvedModel: null,
    });
    const rerun = (attempt: number) =>
      runPromptJob(
        {
          ...deps,
          attempts: createAttemptStore(database.db),
          schemas: new SchemaStore(database.db),
          tools: new ToolCatalogue(deps.models.tools),
        },
        { promptId: id, attempt, finalAttempt: false, signal: new AbortController().signal },
      );
    expect(await rerun(2)).toBe('skipped');
    expect(await rerun(3)).toBe('skipped');
    const log = await deps.events.read(id);
    expect(log.map((entry) => entry.event)).toEqual([
      { type: 'chunk', text: 'the answer' },
      {
        type: 'done',
        status: 'succeeded',
        usage: { input: 3, output: 2, details: null },
        duration_ms: 12,
      },
    ]);
    expect((await getPrompt(database.db, id))?.attempts).toBe(1);
  });
});

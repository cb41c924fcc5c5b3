import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultChainLimit } from '@llmq/contracts';
import { newId } from '@llmq/core';
import { chainStepsOf, createQueuedPrompt, type StoredTool } from '@llmq/db';
import { testTools, toolsPluginPath, waitFor } from '@llmq/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

let fleet: WorkerFleet;
const toolLog = join(tmpdir(), `llmq-chain-durability-${newId()}.log`);

beforeAll(async () => {
  fleet = await openWorkerFleet();
});

afterEach(() => fleet.killAll());

afterAll(() => fleet?.close());

const startWorker = () =>
  fleet.start({
    LLMQ_PLUGINS: `@llmq/plugin-echo,${toolsPluginPath}`,
    LLMQ_TEST_TOOL_LOG: toolLog,
  });

const countCalls: StoredTool = (() => {
  const tool = testTools({}).find((each) => each.name === 'count_calls');
  return { name: 'count_calls', input_schema: tool?.inputSchema ?? {}, runs_on_server: true };
})();

async function runsOf(label: string): Promise<number> {
  const text = await readFile(toolLog, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.startsWith(`${label}\t`)).length;
}

describe('a chain of server tools in worker processes', () => {
  it('completes on another worker after a SIGKILL and runs no stored call again', async () => {
    const id = newId();
    await createQueuedPrompt(fleet.database.db, {
      id,
      model: 'echo',
      prompt: JSON.stringify({
        tool_calls: [
          [{ name: 'count_calls', arguments: { label: 'first' } }],
          [{ name: 'count_calls', arguments: { label: 'second' } }],
        ],
      }),
      // Each model call waits before its tool call (and its one chunk of text): the second
      // step is still asking when the first result is stored, and the worker dies there.
      options: { delay_ms: 1_500, chunk_size: 1_000_000 },
      conversationId: newId(),
      attachments: [],
      tools: [countCalls],
      chainLimit: defaultChainLimit,
    });
    await fleet.queue.add({ promptId: id, model: 'echo' });
    const first = startWorker();
    await waitFor(async () => {
      const steps = await chainStepsOf(fleet.database.db, id);
      return steps[1]?.toolResults.length === 1;
    }, 'the first tool result to be stored');
    first.kill('SIGKILL');
    await first.exited;
    startWorker();
    const root = await fleet.ended(id, 30_000);
    expect(root).toMatchObject({ status: 'succeeded', attempts: 2 });
    expect(await runsOf('first')).toBe(1);
    expect(await runsOf('second')).toBe(1);
    const steps = await chainStepsOf(fleet.database.db, id);
    expect(steps.map((step) => [step.chainStep, step.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    expect(steps.map((step) => step.toolResults.map((result) => result.output))).toEqual([
      [],
      ['counted first'],
      ['counted second'],
    ]);
    // The second attempt's part of the log holds the whole chain once: its stored start again,
    // then the rest, and one `done`.
    const log = await fleet.events.read(id);
    const restartAt = log.findIndex((entry) => entry.event.type === 'restart');
    expect(restartAt).toBeGreaterThan(0);
    const afterRestart = log.slice(restartAt).map((entry) => entry.event);
    expect(
      afterRestart.flatMap((event) =>
        event.type === 'tool_call' || event.type === 'tool_result'
          ? [`${event.type}@${event.step}`]
          : [],
      ),
    ).toEqual(['tool_call@1', 'tool_result@2', 'tool_call@2', 'tool_result@3']);
    const text = afterRestart.map((event) => (event.type === 'chunk' ? event.text : '')).join('');
    expect(text).toBe(steps.map((step) => step.response ?? '').join(''));
    expect(log.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
  });
});

import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@llmq/core';
import { cancelPrompt, chainStepsOf, getPrompt, type StoredTool } from '@llmq/db';
import { testTools, waitFor } from '@llmq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { PromptCancelledError } from '../failures/abort-reasons.ts';

const harness = useEngineHarness();
const toolLog = join(tmpdir(), `llmq-chain-tools-${newId()}.log`);

beforeAll(() => {
  const register = harness().deps.models.tools.registerFor('test-tools');
  for (const tool of testTools({ LLMQ_TEST_TOOL_LOG: toolLog })) register(tool);
});

/** A registered tool as submit stores it with a prompt. */
function serverTool(name: string): StoredTool {
  const tool = harness().deps.models.tools.get(name);
  return { name, input_schema: tool.inputSchema, runs_on_server: true };
}

async function ended(promptId: string) {
  const { database } = harness();
  await waitFor(async () => {
    const row = await getPrompt(database.db, promptId);
    return row !== undefined && ['succeeded', 'failed', 'cancelled'].includes(row.status);
  }, `prompt ${promptId} to end`);
  return (await getPrompt(database.db, promptId)) as NonNullable<
    Awaited<ReturnType<typeof getPrompt>>
  >;
}

async function runs(label: string): Promise<number> {
  const text = await readFile(toolLog, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.startsWith(`${label}\t`)).length;
}

const threeSteps = (label: string) =>
  JSON.stringify({
    tool_calls: [
      [{ name: 'add', arguments: { a: 2, b: 3 } }],
      [{ name: 'count_calls', arguments: { label } }],
    ],
  });

describe('a prompt with server tools runs as a chain', () => {
  it('stores each model call as a step and each result before the next call, in order', async () => {
    harness().startWorker();
    const id = await harness().enqueue({
      prompt: threeSteps('ordered'),
      tools: [serverTool('add'), serverTool('count_calls')],
    });
    const root = await ended(id);
    expect(root).toMatchObject({ status: 'succeeded', chainId: id, chainStep: 1, chainLimit: 5 });
    const steps = await chainStepsOf(harness().database.db, id);
    expect(steps.map((step) => [step.chainStep, step.status])).toEqual([
      [1, 'succeeded'],
      [2, 'succeeded'],
      [3, 'succeeded'],
    ]);
    expect(steps.map((step) => step.conversationId)).toEqual(Array(3).fill(root.conversationId));
    expect(steps[0]?.toolCalls).toEqual([
      { id: 'echo-call-1', name: 'add', arguments: { a: 2, b: 3 } },
    ]);
    expect(steps[1]?.toolResults).toMatchObject([
      { toolCallId: 'echo-call-1', name: 'add', output: '5', exception: null },
    ]);
    expect(steps[1]?.toolCalls).toEqual([
      { id: 'echo-call-2', name: 'count_calls', arguments: { label: 'ordered' } },
    ]);
    expect(steps[2]?.toolResults).toMatchObject([
      { toolCallId: 'echo-call-2', output: 'counted ordered' },
    ]);
    expect(steps[2]?.toolCalls).toBeNull();
    // The last call replays every step: the calls in the earlier answers, the results before.
    const answer = JSON.parse(steps[2]?.response ?? '');
    expect(answer.tool_results).toEqual([
      { name: 'count_calls', output: 'counted ordered', tool_call_id: 'echo-call-2' },
    ]);
    expect(answer.previous).toMatchObject([
      { prompt: threeSteps('ordered'), tool_calls: [{ id: 'echo-call-1', name: 'add' }] },
      {
        prompt: '',
        tool_results: [{ name: 'add', output: '5', tool_call_id: 'echo-call-1' }],
        tool_calls: [{ id: 'echo-call-2', name: 'count_calls' }],
      },
    ]);
    expect(await runs('ordered')).toBe(1);
    const log = await harness().deps.events.read(id);
    const kinds = log
      .map((entry) => entry.event)
      .filter((event) => event.type !== 'status' && event.type !== 'chunk')
      .map((event) => ('step' in event ? `${event.type}@${event.step}` : event.type));
    expect(kinds).toEqual(['tool_call@1', 'tool_result@2', 'tool_call@2', 'tool_result@3', 'done']);
    expect(log.at(-1)?.event).toMatchObject({ type: 'done', steps: 3, finish_reason: 'stop' });
    const text = log.flatMap((entry) => (entry.event.type === 'chunk' ? [entry.event.text] : []));
    expect(text.join('')).toBe(steps[2]?.response);
  });

  it('ends a chain that reaches its limit with a clear error, as llm does', async () => {
    harness().startWorker();
    const id = await harness().enqueue({
      prompt: threeSteps('limited'),
      tools: [serverTool('add'), serverTool('count_calls')],
      chainLimit: 2,
    });
    const root = await ended(id);
    expect(root).toMatchObject({
      status: 'failed',
      errorKind: 'ChainLimitError',
      error: 'Chain limit of 2 exceeded.',
      attempts: 1,
    });
    const steps = await chainStepsOf(harness().database.db, id);
    expect(steps).toHaveLength(2);
    // The second step's calls were not run: the limit ends the chain before them.
    expect(await runs('limited')).toBe(0);
    const log = await harness().deps.events.read(id);
    expect(log.at(-1)?.event).toMatchObject({
      type: 'error',
      status: 'failed',
      error: { kind: 'ChainLimitError', message: 'Chain limit of 2 exceeded.' },
    });
  });

  it('gives the model a tool’s error, bad arguments and an unoffered tool as results', async () => {
    harness().startWorker();
    const id = await harness().enqueue({
      prompt: JSON.stringify({
        tool_calls: [
          { name: 'fail', arguments: { message: 'no disk' } },
          { name: 'add', arguments: { a: 'one', b: 2 } },
          { name: 'sleep', arguments: { ms: 1 } },
          { name: 'repeat', arguments: { text: 'x', times: 20_000 } },
        ],
      }),
      tools: [serverTool('fail'), serverTool('add'), serverTool('repeat')],
    });
    const root = await ended(id);
    expect(root.status).toBe('succeeded');
    const steps = await chainStepsOf(harness().database.db, id);
    expect(steps).toHaveLength(2);
    expect(steps[1]?.toolResults.map((result) => [result.output, result.exception])).toEqual([
      ['Error: no disk', 'Error: no disk'],
      [
        'Error: Arguments for tool add do not match its input schema: /a must be integer',
        'ToolArgumentsError: Arguments for tool add do not match its input schema: /a must be integer',
      ],
      [
        'Error: Tool sleep was not offered to the model',
        'UnknownToolError: Tool sleep was not offered to the model',
      ],
      [
        'Error: Tool repeat answered 20000 bytes; the limit is 10000',
        'ToolOutputTooLargeError: Tool repeat answered 20000 bytes; the limit is 10000',
      ],
    ]);
  });

  it('ends with the calls for a client tool, and goes on when the client answers them', async () => {
    harness().startWorker();
    const lookup: StoredTool = {
      name: 'lookup',
      description: 'Look a word up.',
      input_schema: { type: 'object', properties: { word: { type: 'string' } } },
      runs_on_server: false,
    };
    const conversationId = newId();
    const id = await harness().enqueue({
      conversationId,
      prompt: JSON.stringify({
        tool_calls: [
          { name: 'add', arguments: { a: 1, b: 1 } },
          { name: 'lookup', arguments: { word: 'queue' } },
        ],
      }),
      tools: [serverTool('add'), lookup],
    });
    const root = await ended(id);
    expect(root).toMatchObject({
      status: 'succeeded',
      toolCalls: [{ name: 'add' }, { name: 'lookup' }],
    });
    const log = await harness().deps.events.read(id);
    expect(log.at(-1)?.event).toMatchObject({
      type: 'done',
      finish_reason: 'tool_calls',
      steps: 1,
      tool_calls: [{ id: 'echo-call-2', name: 'lookup', arguments: { word: 'queue' } }],
    });
    // The client answers its tool; the server's call of that turn is run by the next chain.
    const next = await harness().enqueue({
      conversationId,
      prompt: '',
      toolResults: [
        { toolCallId: 'echo-call-2', position: 1, name: 'lookup', output: 'a line of waiting' },
      ],
    });
    const answered = await ended(next);
    expect(answered.status).toBe('succeeded');
    const description = JSON.parse(answered.response ?? '');
    expect(description.tool_results).toEqual([
      { name: 'add', output: '2', tool_call_id: 'echo-call-1' },
      { name: 'lookup', output: 'a line of waiting', tool_call_id: 'echo-call-2' },
    ]);
  });

  it('stops a chain cancelled while a tool runs, and ends its running step', async () => {
    const worker = harness().startWorker();
    const id = await harness().enqueue({
      prompt: JSON.stringify({
        tool_calls: [
          [{ name: 'count_calls', arguments: { label: 'cancelled', delay_ms: 30_000 } }],
        ],
      }),
      tools: [serverTool('count_calls')],
    });
    await waitFor(async () => (await runs('cancelled')) === 1, 'the tool to start');
    await cancelPrompt(harness().database.db, id);
    worker.abort(id, new PromptCancelledError(id));
    const root = await ended(id);
    expect(root.status).toBe('cancelled');
    const steps = await chainStepsOf(harness().database.db, id);
    expect(steps.map((step) => step.status)).toEqual(['cancelled', 'cancelled']);
    expect(steps[1]?.toolResults).toEqual([]);
  });
});

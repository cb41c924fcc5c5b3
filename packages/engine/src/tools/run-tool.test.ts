import type { Tool, ToolCall } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { runTool } from './run-tool.ts';

const limits = { timeoutMs: 5_000, maxOutputBytes: 100 };

function call(name: string, args: Record<string, unknown> = {}): ToolCall {
  return { id: `call-${name}`, name, arguments: args };
}

function run(
  tool: Tool,
  args: Record<string, unknown> = {},
  signal = new AbortController().signal,
) {
  return runTool(tool, call(tool.name, args), { signal, attempt: 1, limits });
}

const objectSchema = { type: 'object' } as const;

describe('runTool', () => {
  it('gives strings as they are and anything else as JSON', async () => {
    expect(
      await run({ name: 'text', inputSchema: objectSchema, implementation: () => 'plain' }),
    ).toEqual({
      toolCallId: 'call-text',
      name: 'text',
      output: 'plain',
    });
    const json = await run({
      name: 'json',
      inputSchema: objectSchema,
      implementation: () => ({ a: [1] }),
    });
    expect(json.output).toBe('{"a":[1]}');
    const nothing = await run({
      name: 'nothing',
      inputSchema: objectSchema,
      implementation: () => undefined,
    });
    expect(nothing.output).toBe('');
  });

  it('checks the arguments against the input schema before running', async () => {
    let ran = false;
    const tool: Tool = {
      name: 'typed',
      inputSchema: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
      implementation: () => {
        ran = true;
        return 'ran';
      },
    };
    const result = await run(tool, { n: 'five' });
    expect(ran).toBe(false);
    expect(result.exception).toBe(
      'ToolArgumentsError: Arguments for tool typed do not match its input schema: /n must be integer',
    );
    expect(result.output).toBe(
      'Error: Arguments for tool typed do not match its input schema: /n must be integer',
    );
  });

  it('turns a throw into an error result, as llm does', async () => {
    class DiskFullError extends Error {
      override readonly name = 'DiskFullError';
    }
    const result = await run({
      name: 'write',
      inputSchema: objectSchema,
      implementation: () => {
        throw new DiskFullError('no space left');
      },
    });
    expect(result).toEqual({
      toolCallId: 'call-write',
      name: 'write',
      output: 'Error: no space left',
      exception: 'DiskFullError: no space left',
    });
  });

  it('ends a call past its time limit, even one that ignores its signal', async () => {
    const result = await run({
      name: 'stuck',
      inputSchema: objectSchema,
      timeoutMs: 20,
      implementation: () => new Promise(() => undefined),
    });
    expect(result.exception).toBe('ToolTimeoutError: Tool stuck did not answer within 20 ms');
  });

  it('refuses an answer past the size limit', async () => {
    const result = await run({
      name: 'big',
      inputSchema: objectSchema,
      implementation: () => 'é'.repeat(60),
    });
    expect(result.exception).toBe(
      'ToolOutputTooLargeError: Tool big answered 120 bytes; the limit is 100',
    );
  });

  it('throws the prompt’s own abort (a cancel), which no result may hide', async () => {
    const controller = new AbortController();
    const cancel = new Error('cancelled');
    const pending = run(
      {
        name: 'long',
        inputSchema: objectSchema,
        implementation: () => new Promise(() => undefined),
      },
      {},
      controller.signal,
    );
    controller.abort(cancel);
    await expect(pending).rejects.toBe(cancel);
  });
});

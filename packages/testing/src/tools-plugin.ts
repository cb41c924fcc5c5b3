import { appendFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An llmq plugin of tools for tests, loaded by path (`LLMQ_PLUGINS=<toolsPluginPath>`) or
 * called directly. It imports nothing of llmq (the testing package stays below every other),
 * so the shapes are written out; they are core's `Tool` and `RegisterTool`.
 *
 * `count_calls` appends one line per run to the file named by the plugin setting
 * `LLMQ_TEST_TOOL_LOG`, so a test can count a tool's invocations across processes.
 */

interface ToolContext {
  readonly toolCallId: string;
  readonly signal: AbortSignal;
  readonly attempt: number;
}

interface TestTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  implementation(args: Record<string, unknown>, context: ToolContext): Promise<unknown>;
  readonly timeoutMs?: number;
  readonly maxOutputBytes?: number;
}

interface PluginContext {
  readonly settings: Readonly<Record<string, string | undefined>>;
}

/** The path to give `LLMQ_PLUGINS` (or `import()`) for these tools. */
export const toolsPluginPath = new URL(import.meta.url).pathname;

export function testTools(settings: Readonly<Record<string, string | undefined>>): TestTool[] {
  return [
    {
      name: 'add',
      description: 'Add two integers.',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'integer' }, b: { type: 'integer' } },
        required: ['a', 'b'],
        additionalProperties: false,
      },
      implementation: async (args) => (args.a as number) + (args.b as number),
    },
    {
      name: 'count_calls',
      description: 'Record that it ran (for tests that count runs), then answer with the label.',
      inputSchema: {
        type: 'object',
        properties: { label: { type: 'string' }, delay_ms: { type: 'integer' } },
        required: ['label'],
      },
      implementation: async (args, context) => {
        const log = settings.LLMQ_TEST_TOOL_LOG;
        if (log) await appendFile(log, `${args.label}\t${context.toolCallId}\n`);
        const delay = typeof args.delay_ms === 'number' ? args.delay_ms : 0;
        if (delay > 0) await sleep(delay, undefined, { signal: context.signal });
        return `counted ${String(args.label)}`;
      },
    },
    {
      name: 'sleep',
      description: 'Wait this many milliseconds, then say so.',
      inputSchema: {
        type: 'object',
        properties: { ms: { type: 'integer' } },
        required: ['ms'],
      },
      timeoutMs: 1_000,
      implementation: async (args, context) => {
        await sleep(args.ms as number, undefined, { signal: context.signal });
        return `slept ${String(args.ms)} ms`;
      },
    },
    {
      name: 'fail',
      description: 'Always throws.',
      inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
      implementation: async (args) => {
        throw new Error(typeof args.message === 'string' ? args.message : 'the tool failed');
      },
    },
    {
      name: 'repeat',
      description: 'Repeat a text n times.',
      inputSchema: {
        type: 'object',
        properties: { text: { type: 'string' }, times: { type: 'integer' } },
        required: ['text', 'times'],
      },
      maxOutputBytes: 10_000,
      implementation: async (args) => String(args.text).repeat(args.times as number),
    },
  ];
}

/** The plugin hook. */
export function registerTools(register: (tool: TestTool) => void, context: PluginContext): void {
  for (const tool of testTools(context.settings)) register(tool);
}

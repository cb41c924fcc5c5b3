import { LlmqApiError, LlmqConnectionError } from '@llmq/client';

/** Errors as one line on stderr and a non-zero exit, like llm's `Error: …`. */
export function reportAndExit(error: unknown): never {
  if (error instanceof LlmqApiError || error instanceof LlmqConnectionError) {
    process.stderr.write(`Error: ${error.message}\n`);
  } else {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
}

/** Wrap a command's action so any error ends the process cleanly. */
export function action<Args extends unknown[]>(
  run: (...args: Args) => Promise<void>,
): (...args: Args) => Promise<void> {
  return async (...args: Args) => {
    try {
      await run(...args);
    } catch (error) {
      reportAndExit(error);
    }
  };
}

export async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `1,000 input, 2,000 output` (+ details), as llm prints token usage. */
export function formatUsage(
  usage: {
    input: number | null;
    output: number | null;
    details: Record<string, unknown> | null;
  } | null,
): string {
  if (!usage) return 'unknown';
  const parts = [
    `${(usage.input ?? 0).toLocaleString('en-US')} input`,
    `${(usage.output ?? 0).toLocaleString('en-US')} output`,
  ];
  return usage.details ? `${parts.join(', ')}, ${JSON.stringify(usage.details)}` : parts.join(', ');
}

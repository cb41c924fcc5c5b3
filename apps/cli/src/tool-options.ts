import { maxChainLimit, toolNameSchema } from '@llmq/contracts';
import { InvalidArgumentError } from 'commander';

/** The tool options `llmq prompt` and `llmq chat` share, as commander parses them. */
export interface ToolOptions {
  readonly tool: readonly string[];
  readonly chainLimit?: number | undefined;
  /** `--td, --tools-debug`. */
  readonly toolsDebug?: boolean | undefined;
}

/** A `-T` value: a tool's name, checked here so that a typing mistake is named before sending. */
export function parseToolName(value: string, previous: readonly string[]): string[] {
  const parsed = toolNameSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidArgumentError(
      `${JSON.stringify(value)} is not a tool name: names are 1 to 64 letters, digits, _ or - (llmq tools lists them)`,
    );
  }
  return previous.includes(parsed.data) ? [...previous] : [...previous, parsed.data];
}

/** A `--chain-limit` value: how many model calls the chain may make, 1 to 100. */
export function parseChainLimit(value: string): number {
  const limit = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxChainLimit) {
    throw new InvalidArgumentError(`the chain limit is a whole number from 1 to ${maxChainLimit}`);
  }
  return limit;
}

/** The request fields for the tools asked for; nothing when none were. */
export function toolRequestFields(options: ToolOptions): {
  tools?: string[];
  chain_limit?: number;
} {
  return {
    ...(options.tool.length > 0 ? { tools: [...options.tool] } : {}),
    ...(options.chainLimit !== undefined ? { chain_limit: options.chainLimit } : {}),
  };
}

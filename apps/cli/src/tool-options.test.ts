import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseChainLimit, parseToolName, toolRequestFields } from './tool-options.ts';

/** A command with the tool options as `llmq prompt` declares them, parsed without exiting. */
function parse(argv: readonly string[]) {
  const command = new Command('prompt')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined })
    .option('-T, --tool <name>', 'tool', parseToolName, [])
    .option('--td, --tools-debug', 'debug')
    .option('--cl, --chain-limit <n>', 'limit', parseChainLimit);
  command.parse([...argv], { from: 'user' });
  return command.opts<{ tool: string[]; toolsDebug?: boolean; chainLimit?: number }>();
}

describe('the tool options', () => {
  it('collect -T names in order, once each, with --td and --chain-limit', () => {
    const options = parse(['-T', 'add', '--tool', 'count_calls', '-T', 'add', '--td', '--cl', '7']);
    expect(options).toEqual({ tool: ['add', 'count_calls'], toolsDebug: true, chainLimit: 7 });
    expect(toolRequestFields(options)).toEqual({ tools: ['add', 'count_calls'], chain_limit: 7 });
    expect(parse(['--chain-limit', '100']).chainLimit).toBe(100);
  });

  it('send nothing of tools when none were asked for', () => {
    expect(toolRequestFields(parse([]))).toEqual({});
    expect(toolRequestFields(parse(['--td']))).toEqual({});
  });

  it('refuse a tool name no server could have, and a chain limit out of 1 to 100', () => {
    expect(() => parse(['-T', 'two words'])).toThrow(/"two words" is not a tool name/);
    for (const limit of ['0', '101', '2.5', 'five', '-1']) {
      expect(() => parse(['--chain-limit', limit])).toThrow(
        /the chain limit is a whole number from 1 to 100/,
      );
    }
  });
});

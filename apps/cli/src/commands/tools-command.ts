import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { action } from '../output.ts';
import { formatToolList } from '../tool-list.ts';

async function listTools(client: LlmqClient, options: { json?: boolean }): Promise<void> {
  const tools = await client.listTools();
  if (options.json) {
    process.stdout.write(`${JSON.stringify(tools, null, 2)}\n`);
  } else if (tools.length === 0) {
    process.stderr.write('The server has no tools (plugins and MCP servers add them)\n');
  } else {
    process.stdout.write(formatToolList(tools));
  }
}

/** `llmq tools`: the tools the server can run, for `-T`, as `llm tools` lists them. */
export function toolsCommand(getClient: () => LlmqClient): Command {
  const tools = new Command('tools')
    .description('List the tools the server can run, for -T (from plugins and MCP servers)')
    .option('--json', 'print them as JSON, with their input schemas')
    // `tools list --json`: the option after the subcommand is the subcommand's own.
    .enablePositionalOptions()
    .action(action(async (options: { json?: boolean }) => listTools(getClient(), options)));
  tools.addCommand(
    new Command('list')
      .description('List the tools the server can run')
      .option('--json', 'print them as JSON, with their input schemas')
      .action(action(async (options: { json?: boolean }) => listTools(getClient(), options))),
  );
  return tools;
}

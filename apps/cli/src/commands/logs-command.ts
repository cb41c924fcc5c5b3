import type { LlmqClient } from '@llmq/client';
import type { PromptSummaryBody, ToolResultBody } from '@llmq/contracts';
import { Command } from 'commander';
import { dataLines } from '../data-lines.ts';
import { action, formatUsage } from '../output.ts';
import { readSchemaArgument } from '../schema-argument.ts';
import { storedSchemaId } from '../stored-schema-id.ts';
import { toolLogLines } from '../tool-log-lines.ts';

function render(
  prompt: PromptSummaryBody & {
    attachments?: Array<{ id: string; type: string }>;
    tool_results?: ToolResultBody[];
  },
): string {
  const lines = [
    `# ${prompt.created_at}    id: ${prompt.id}`,
    '',
    `Model: **${prompt.model}**${prompt.resolved_model ? ` (resolved: **${prompt.resolved_model}**)` : ''}  Status: ${prompt.status}`,
  ];
  if (prompt.conversation_id) lines.push(`Conversation: ${prompt.conversation_id}`);
  lines.push('', '## Prompt', '', prompt.prompt);
  if (prompt.system) lines.push('', '## System', '', prompt.system);
  for (const attachment of prompt.attachments ?? [])
    lines.push('', `- ${attachment.type}: ${attachment.id}`);
  lines.push(
    '',
    '## Response',
    '',
    prompt.text ??
      (prompt.error ? `${prompt.error.kind}: ${prompt.error.message}` : `(${prompt.status})`),
    ...toolLogLines(prompt.tool_calls, prompt.tool_results),
  );
  if (prompt.usage) lines.push('', `## Token usage`, '', formatUsage(prompt.usage));
  return `${lines.join('\n')}\n`;
}

interface LogsOptions {
  count?: string;
  query?: string;
  model?: string;
  conversation?: string;
  schema?: string;
  schemaMulti?: boolean;
  data?: boolean;
  json?: boolean;
}

export function logsCommand(getClient: () => LlmqClient): Command {
  const logs = new Command('logs')
    .description('Show recent prompts and their answers, newest first')
    .option('-n, --count <n>', 'how many, 0 for all (default 3; all with --data)')
    .option('-q, --query <words>', 'full-text search over prompts and answers')
    .option('-m, --model <model>', 'only this model')
    .option('--cid, --conversation <id>', 'only this conversation')
    .option(
      '--schema <schema>',
      'only prompts with this schema: JSON, a .json file, a schema id or concise fields',
    )
    .option('--schema-multi', 'the --schema was given with --schema-multi')
    .option(
      '--data',
      'print each answer’s data as one JSON line (with --schema-multi, each item of it)',
    )
    .option('--json', 'print them as JSON')
    .action(action(async (options: LogsOptions) => runLogs(getClient(), options)));
  logs.addCommand(
    new Command('show')
      .description('Show one prompt in full')
      .argument('<id>', 'the prompt id')
      .option('--json', 'print it as JSON')
      .action(
        action(async (id: string, options: { json?: boolean }) => {
          const prompt = await getClient().getPrompt(id);
          process.stdout.write(
            options.json ? `${JSON.stringify(prompt, null, 2)}\n` : render(prompt),
          );
        }),
      ),
  );
  return logs;
}

function countOf(options: LogsOptions): number {
  const text = options.count ?? (options.data ? '0' : '3');
  const count = Number(text);
  if (!Number.isInteger(count) || count < 0) {
    throw new Error(`-n takes a whole number (0 for all), not ${text}`);
  }
  return count === 0 ? Number.POSITIVE_INFINITY : count;
}

async function runLogs(client: LlmqClient, options: LogsOptions): Promise<void> {
  if (options.schemaMulti && !options.schema) {
    throw new Error('--schema-multi says how --schema was given; give the --schema too');
  }
  const count = countOf(options);
  const schema = options.schema
    ? await storedSchemaId(client, await readSchemaArgument(options.schema), options.schemaMulti)
    : undefined;
  // --data reads every matching prompt by default: each page is printed as it comes, so memory
  // stays one page and jq sees lines at once.
  const prompts: PromptSummaryBody[] = [];
  let seen = 0;
  let cursor: string | undefined;
  do {
    const page = await client.listPrompts({
      limit: Math.min(count - seen, 500),
      ...(options.query ? { q: options.query } : {}),
      ...(options.model ? { model: options.model } : {}),
      ...(options.conversation ? { conversation_id: options.conversation } : {}),
      ...(schema ? { schema } : {}),
      ...(cursor ? { cursor } : {}),
    });
    seen += page.data.length;
    if (options.data) {
      for (const line of dataLines(page.data, options.schemaMulti ?? false)) {
        process.stdout.write(line);
      }
    } else {
      prompts.push(...page.data);
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor && seen < count);
  if (options.data) return;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(prompts, null, 2)}\n`);
  } else {
    process.stdout.write(prompts.map(render).join('\n'));
  }
}

import type { LlmqClient } from '@llmq/client';
import type { PromptSummaryBody } from '@llmq/contracts';
import { Command } from 'commander';
import { action, formatUsage } from '../output.ts';

function render(
  prompt: PromptSummaryBody & { attachments?: Array<{ id: string; type: string }> },
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
  );
  if (prompt.usage) lines.push('', `## Token usage`, '', formatUsage(prompt.usage));
  return `${lines.join('\n')}\n`;
}

export function logsCommand(getClient: () => LlmqClient): Command {
  const logs = new Command('logs')
    .description('Show recent prompts and their answers, newest first')
    .option('-n, --count <n>', 'how many (default 3)', '3')
    .option('-q, --query <words>', 'full-text search over prompts and answers')
    .option('-m, --model <model>', 'only this model')
    .option('--cid, --conversation <id>', 'only this conversation')
    .option('--json', 'print them as JSON')
    .action(
      action(
        async (options: {
          count: string;
          query?: string;
          model?: string;
          conversation?: string;
          json?: boolean;
        }) => {
          const count = Number(options.count);
          if (!Number.isInteger(count) || count < 1)
            throw new Error(`-n takes a positive whole number, not ${options.count}`);
          const page = await getClient().listPrompts({
            limit: Math.min(count, 500),
            ...(options.query ? { q: options.query } : {}),
            ...(options.model ? { model: options.model } : {}),
            ...(options.conversation ? { conversation_id: options.conversation } : {}),
          });
          if (options.json) {
            process.stdout.write(`${JSON.stringify(page.data, null, 2)}\n`);
            return;
          }
          process.stdout.write(page.data.map(render).join('\n'));
        },
      ),
    );
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

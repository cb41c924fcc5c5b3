import { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { joinPairOptions } from './argv-pairs.ts';
import { batchCommand } from './commands/batch-command.ts';
import { chatCommand } from './commands/chat-command.ts';
import { deleteCommand } from './commands/delete-command.ts';
import { keysCommand } from './commands/keys-command.ts';
import { limitsCommand } from './commands/limits-command.ts';
import { logsCommand } from './commands/logs-command.ts';
import { modelsCommand } from './commands/models-command.ts';
import { ownersCommand } from './commands/owners-command.ts';
import {
  addPromptOptions,
  type PromptOptions,
  promptCommand,
  runPrompt,
} from './commands/prompt-command.ts';
import { providerKeysCommand } from './commands/provider-keys-command.ts';
import { schemasCommand } from './commands/schemas-command.ts';
import { toolsCommand } from './commands/tools-command.ts';
import { usageCommand } from './commands/usage-command.ts';
import { webhooksCommand } from './commands/webhooks-command.ts';
import { readEnvironment } from './env.ts';
import { action, reportAndExit } from './output.ts';

// `llmq … | head` closes stdout early: that ends the command, it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

let environment: ReturnType<typeof readEnvironment>;
try {
  environment = readEnvironment();
} catch (error) {
  reportAndExit(error);
}

const program = new Command('llmq')
  .description(
    'Run LLM prompts through an llmq server: prompt, stream, attach, continue, call tools, batch, search the logs',
  )
  .option('--url <url>', 'the llmq server (default $LLMQ_URL or http://127.0.0.1:3000)')
  .option('--key <key>', 'API key (default $LLMQ_API_KEY)')
  .enablePositionalOptions();

const client = () => {
  const global = program.opts<{ url?: string; key?: string }>();
  return new LlmqClient({
    baseUrl: global.url ?? environment.LLMQ_URL,
    apiKey: global.key ?? environment.LLMQ_API_KEY,
  });
};

program.addCommand(promptCommand(client, environment.configDirectory));
program.addCommand(chatCommand(client, environment));
program.addCommand(modelsCommand(client, environment.configDirectory));
program.addCommand(batchCommand(client, environment.configDirectory));
program.addCommand(logsCommand(client));
program.addCommand(keysCommand(client));
program.addCommand(ownersCommand(client));
program.addCommand(limitsCommand(client));
program.addCommand(providerKeysCommand(client));
program.addCommand(schemasCommand(client));
program.addCommand(toolsCommand(client));
program.addCommand(usageCommand(client));
program.addCommand(webhooksCommand(client));
program.addCommand(deleteCommand(client));

// `llmq "prompt"` is `llmq prompt "prompt"`, as with llm.
addPromptOptions(program)
  .argument('[prompt]', 'the prompt (same as: llmq prompt "…")')
  .action(
    action(async (text: string | undefined, options: PromptOptions) =>
      runPrompt(client(), environment.configDirectory, text, options),
    ),
  );

await program.parseAsync(joinPairOptions(process.argv.slice(2)), { from: 'user' });

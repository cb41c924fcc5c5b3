import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { ChatSession } from '../chat-session.ts';
import {
  chosenModel,
  findModel,
  modelOfConversation,
  serverDefaultModel,
} from '../default-model.ts';
import type { CliEnvironment } from '../env.ts';
import { modelOptions } from '../model-options.ts';
import { action } from '../output.ts';
import { latestConversation } from '../prompt-end.ts';
import {
  parseChainLimit,
  parseToolName,
  type ToolOptions,
  toolRequestFields,
} from '../tool-options.ts';

interface ChatOptions extends ToolOptions {
  model?: string;
  system?: string;
  option: string[];
  continue?: boolean;
  /** `--cid, --conversation`: commander names it after the long flag. */
  conversation?: string;
  reasoning: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function chatCommand(
  getClient: () => LlmqClient,
  environment: Pick<CliEnvironment, 'configDirectory' | 'editor'>,
): Command {
  return new Command('chat')
    .description(
      'Chat with a model on one conversation: type a prompt at "> ", its answer streams. ' +
        "!multi … !end sends several lines, !edit opens $VISUAL or $EDITOR, 'exit', 'quit' or Ctrl-D ends. " +
        'Ctrl-C while an answer streams cancels that answer; at the prompt (or twice) it ends the chat. ' +
        'Reads lines from stdin when it is not a terminal',
    )
    .option('-m, --model <model>', 'model id or alias (default: `llmq models default`)')
    .option('-s, --system <system>', 'system prompt, sent with the first prompt')
    .option(
      '-o, --option <key> <value>',
      'a model option for every prompt, e.g. -o temperature 0.5 (repeatable)',
      collect,
      [],
    )
    .option('-c, --continue', 'continue the latest conversation')
    .option('--cid, --conversation <id>', 'continue the conversation with this id')
    .option('--no-reasoning', 'do not show the model’s reasoning (shown on stderr by default)')
    .option(
      '-T, --tool <name>',
      'a tool the server runs that the model may call, for every prompt (repeatable)',
      parseToolName,
      [],
    )
    .option('--td, --tools-debug', 'show each tool call and its result on stderr')
    .option(
      '--cl, --chain-limit <n>',
      'how many model calls a chain of tool calls may make (default 5, at most 100)',
      parseChainLimit,
    )
    .action(
      action(async (options: ChatOptions) => {
        const client = getClient();
        const conversationId =
          options.conversation ?? (options.continue ? await latestConversation(client) : undefined);
        const modelName = await chosenModel(
          options.model,
          conversationId,
          environment.configDirectory,
        );
        // The model that answers: the one chosen, else the conversation's, else the server's.
        const answering = modelName ?? (await modelOfConversation(client, conversationId));
        const models = await client.models();
        const model = answering ? findModel(models, answering) : serverDefaultModel(models);
        if (answering && !model) {
          throw new Error(
            `Unknown model: ${answering}. \`llmq models\` lists the models this server has.`,
          );
        }
        if (process.stdin.isTTY) {
          process.stderr.write(
            `Chatting with ${model?.id ?? 'the server’s default model'}\n` +
              "Type 'exit' or 'quit' to exit\n" +
              "Type '!multi' to enter multiple lines, then '!end' to finish\n" +
              "Type '!edit' to open your default editor and modify the prompt\n",
          );
        }
        const session = new ChatSession(client, {
          model: modelName,
          system: options.system,
          options: await modelOptions(client, answering, options.option),
          conversationId,
          reasoning: options.reasoning,
          tools: toolRequestFields(options),
          toolsDebug: options.toolsDebug === true,
          editor: environment.editor,
        });
        process.exit(await session.run());
      }),
    );
}

import type { LlmqClient } from '@llmq/client';
import type { PromptAttachmentInput, PromptBody } from '@llmq/contracts';
import { Command } from 'commander';
import { splitPair } from '../argv-pairs.ts';
import { chosenModel, modelOfConversation } from '../default-model.ts';
import { formatJson } from '../json-output.ts';
import { modelOptions } from '../model-options.ts';
import { action, formatUsage, readStdin } from '../output.ts';
import { failureOf, latestConversation, waitForEnd } from '../prompt-end.ts';
import { ReasoningWriter } from '../reasoning-writer.ts';
import { readSchemaArgument, schemaRequestFields } from '../schema-argument.ts';
import { streamAnswer } from '../stream-answer.ts';
import { ToolDebugWriter } from '../tool-debug-writer.ts';
import {
  parseChainLimit,
  parseToolName,
  type ToolOptions,
  toolRequestFields,
} from '../tool-options.ts';
import { ensureUploaded } from '../upload-file.ts';

export interface PromptOptions extends ToolOptions {
  model?: string;
  system?: string;
  attachment: string[];
  attachmentType: string[];
  option: string[];
  continue?: boolean;
  /** `--cid, --conversation`: commander names it after the long flag. */
  conversation?: string;
  stream: boolean;
  usage?: boolean;
  json?: boolean;
  schema?: string;
  schemaMulti?: boolean;
  reasoning: boolean;
  /** `--webhook-url`: where the prompt's end is delivered (else the key's webhook). */
  webhookUrl?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The options `llmq prompt` and plain `llmq "…"` share. */
export function addPromptOptions(command: Command): Command {
  return command
    .option('-m, --model <model>', 'model id or alias (default: `llmq models default`)')
    .option('-s, --system <system>', 'system prompt')
    .option(
      '-a, --attachment <path|url|->',
      'attach a file, a URL, or - for stdin (repeatable)',
      collect,
      [],
    )
    .option(
      '--at, --attachment-type <path> <type>',
      'attach a file with an explicit MIME type (repeatable)',
      collect,
      [],
    )
    .option(
      '-o, --option <key> <value>',
      'a model option, e.g. -o temperature 0.5 (repeatable)',
      collect,
      [],
    )
    .option('-c, --continue', 'continue the latest conversation')
    .option('--cid, --conversation <id>', 'continue the conversation with this id')
    .option('--no-stream', 'wait for the whole answer instead of streaming it')
    .option('-u, --usage', 'print token usage to stderr')
    .option('--json', 'print the stored prompt as JSON')
    .option(
      '--schema <schema>',
      'answer as JSON matching a schema: JSON, a .json file, a stored schema id, or fields like "name, age int: in years"',
    )
    .option('--schema-multi', 'answer a list of matches of the schema, as {"items": [...]}')
    .option('--no-reasoning', 'do not show the model’s reasoning (shown on stderr by default)')
    .option(
      '-T, --tool <name>',
      'a tool the server runs that the model may call (repeatable; llmq tools lists them)',
      parseToolName,
      [],
    )
    .option('--td, --tools-debug', 'show each tool call and its result on stderr')
    .option(
      '--cl, --chain-limit <n>',
      'how many model calls a chain of tool calls may make (default 5, at most 100)',
      parseChainLimit,
    )
    .option(
      '--webhook-url <url>',
      'deliver prompt.succeeded or prompt.failed there, signed (default: the key’s webhook)',
    );
}

export function promptCommand(getClient: () => LlmqClient, configDirectory: string): Command {
  return addPromptOptions(
    new Command('prompt')
      .description('Send a prompt to a model and print the answer as it streams')
      .argument(
        '[prompt]',
        'the prompt; read from stdin when absent (and stdin is not a terminal)',
      ),
  ).action(
    action(async (text: string | undefined, options: PromptOptions) =>
      runPrompt(getClient(), configDirectory, text, options),
    ),
  );
}

export async function runPrompt(
  client: LlmqClient,
  configDirectory: string,
  text: string | undefined,
  options: PromptOptions,
): Promise<void> {
  const stdinUsedForAttachment = options.attachment.includes('-');
  let prompt = text;
  if (prompt === undefined && !process.stdin.isTTY && !stdinUsedForAttachment) {
    prompt = (await readStdin()).toString('utf8').trimEnd();
  }
  if (options.schemaMulti && !options.schema) {
    throw new Error('--schema-multi needs a --schema to make a list of');
  }
  const schema = options.schema ? await readSchemaArgument(options.schema) : undefined;
  const conversationId =
    options.conversation ?? (options.continue ? await latestConversation(client) : undefined);
  const modelName = await chosenModel(options.model, conversationId, configDirectory);
  const modelOptionValues = await modelOptions(
    client,
    modelName ?? (await modelOfConversation(client, conversationId)),
    options.option,
  );
  const attachments = await attachmentInputs(client, options);
  const accepted = await client.createPrompt({
    ...(modelName ? { model: modelName } : {}),
    ...(prompt ? { prompt } : {}),
    ...(options.system ? { system: options.system } : {}),
    ...(attachments.length > 0 ? { attachments } : {}),
    ...(modelOptionValues ? { options: modelOptionValues } : {}),
    ...(conversationId ? { conversation_id: conversationId } : {}),
    ...(schema ? schemaRequestFields(schema, options.schemaMulti) : {}),
    ...toolRequestFields(options),
    ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {}),
  });
  // Ctrl-C cancels the job on the server, then exits 130 as a shell expects.
  process.once('SIGINT', () => {
    void client.cancelPrompt(accepted.id).finally(() => process.exit(130));
  });
  const reasoning = new ReasoningWriter(process.stderr, options.reasoning);
  const tools = new ToolDebugWriter(process.stderr, options.toolsDebug === true);
  // Tool runs are only in the stream: --td follows it even when the answer is printed at the end.
  if ((options.stream || options.toolsDebug) && !options.json) {
    await streamAnswer(client, accepted.id, {
      // Without streaming, the reasoning is printed once at the end, as the stored prompt has it.
      reasoning: options.stream ? reasoning : new ReasoningWriter(process.stderr, false),
      tools,
      printText: options.stream && schema === undefined,
    });
  }
  const finished = await waitForEnd(client, accepted.id);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(finished, null, 2)}\n`);
  } else {
    if (!options.stream && finished.reasoning) {
      reasoning.write(finished.reasoning);
      reasoning.end();
    }
    printAnswer(finished, schema !== undefined, options.stream);
  }
  const failure = failureOf(finished);
  if (failure) throw new Error(failure);
  if (options.usage) process.stderr.write(`Token usage: ${formatUsage(finished.usage)}\n`);
}

/** A schema's answer is its validated data; other answers were streamed, unless not asked to. */
function printAnswer(finished: PromptBody, withSchema: boolean, streamed: boolean): void {
  if (withSchema) {
    if (finished.status === 'succeeded') {
      process.stdout.write(formatJson(finished.data, process.stdout.isTTY === true));
    }
  } else if (!streamed) {
    // A chain's answer is the text of all its model calls, as its stream showed it.
    const text = finished.chain?.text ?? finished.text;
    if (text) process.stdout.write(`${text}\n`);
  }
}

async function attachmentInputs(
  client: LlmqClient,
  options: PromptOptions,
): Promise<PromptAttachmentInput[]> {
  const inputs: PromptAttachmentInput[] = [];
  for (const value of options.attachment) {
    if (value === '-') {
      const bytes = await readStdin();
      inputs.push({ id: (await client.uploadAttachment(bytes)).id });
    } else if (/^https?:\/\//i.test(value)) {
      inputs.push({ url: value });
    } else {
      inputs.push({ id: (await ensureUploaded(client, value)).id });
    }
  }
  for (const pair of options.attachmentType) {
    const [path, type] = splitPair(pair, '--at');
    inputs.push(
      /^https?:\/\//i.test(path)
        ? { url: path, type }
        : { id: (await ensureUploaded(client, path, type)).id },
    );
  }
  return inputs;
}

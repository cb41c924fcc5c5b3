import { createWriteStream } from 'node:fs';
import { relative } from 'node:path';
import { LlmqApiError, type LlmqClient } from '@llmq/client';
import { type BatchBody, isEndedBatchStatus, isMultiSchema } from '@llmq/contracts';
import { Command } from 'commander';
import { formatBatchSummary } from '../batch-summary.ts';
import { dataLines } from '../data-lines.ts';
import { readDefaultModel } from '../default-model.ts';
import { expandPaths } from '../expand-paths.ts';
import { mapConcurrently } from '../map-concurrently.ts';
import { modelOptions } from '../model-options.ts';
import { action } from '../output.ts';
import { ProgressDisplay } from '../progress-display.ts';
import { readSchemaArgument, schemaRequestFields } from '../schema-argument.ts';
import { ensureUploaded } from '../upload-file.ts';

const collect = (value: string, previous: string[]) => [...previous, value];

interface BatchOptions {
  prompt?: string;
  model?: string;
  system?: string;
  option: string[];
  out?: string;
  concurrency: string;
  schema?: string;
  schemaMulti?: boolean;
  webhookUrl?: string;
}

export function batchCommand(getClient: () => LlmqClient, configDirectory: string): Command {
  const batch = new Command('batch')
    .description(
      'Run one prompt over many files: upload what the server lacks, then follow the batch',
    )
    .argument('[paths...]', 'files, folders (recursive) and globs')
    .option('-p, --prompt <prompt>', 'the prompt for every file')
    .option('-m, --model <model>', 'model id or alias (default: `llmq models default`)')
    .option('-s, --system <system>', 'system prompt')
    .option('-o, --option <key> <value>', 'a model option (repeatable)', collect, [])
    .option('--out <file>', 'where to write the results JSONL (default llmq-batch-<id>.jsonl)')
    .option('--concurrency <n>', 'uploads at once', '8')
    .option(
      '--webhook-url <url>',
      'deliver batch.completed, failed or cancelled there, signed (default: the key’s webhook)',
    )
    .option(
      '--schema <schema>',
      'answer each item as JSON matching a schema: JSON, a .json file, a schema id or fields like "vendor, date, total float"',
    )
    .option('--schema-multi', 'answer each item with a list of matches, as {"items": [...]}')
    .action(
      action(async (paths: string[], options: BatchOptions) =>
        runBatch(getClient(), configDirectory, paths, options),
      ),
    );
  batch.addCommand(
    new Command('status')
      .description("Show a batch's status, counts, progress, times and links")
      .argument('<id>')
      .option('--json', 'print the batch as the API gives it, for scripts')
      .action(
        action(async (id: string, options: { json?: boolean }) => {
          const client = getClient();
          printBatch(client, await client.getBatch(id), options.json);
        }),
      ),
  );
  batch.addCommand(
    new Command('results')
      .description("Print a batch's results as JSONL")
      .argument('<id>')
      .option('--failed', 'only the failed items')
      .option('--out <file>', 'write them to a file instead')
      .option('--data', 'only each answer’s data, one JSON line per item that has it')
      .action(
        action(async (id: string, options: { failed?: boolean; out?: string; data?: boolean }) => {
          await writeResults(
            getClient(),
            id,
            options.out,
            options.failed ? 'failed' : undefined,
            options.data,
          );
        }),
      ),
  );
  batch.addCommand(
    new Command('cancel')
      .description(
        'Cancel a batch: queued items at once, running ones aborted, results kept. A batch that has already ended is left as it is: that is said on stderr and the exit code is 0',
      )
      .argument('<id>')
      .option('--json', 'print the batch as JSON')
      .action(
        action(async (id: string, options: { json?: boolean }) => {
          const client = getClient();
          printBatch(client, await cancelBatch(client, id), options.json);
        }),
      ),
  );
  batch.addCommand(
    new Command('retry')
      .description(
        "Run a batch's failed items again. A batch without failed items is left as it is: that is said on stderr and the exit code is 0",
      )
      .argument('<id>')
      .option('--json', 'print the batch as JSON')
      .action(
        action(async (id: string, options: { json?: boolean }) => {
          const client = getClient();
          printBatch(client, await retryBatch(client, id), options.json);
        }),
      ),
  );
  return batch;
}

/**
 * The rule for `cancel` and `retry`: asking for what is already so is a no-op, said on stderr,
 * exit 0 (a script can run them again safely); what the server refuses is an error, exit 1.
 */
async function cancelBatch(client: LlmqClient, id: string): Promise<BatchBody> {
  const before = await client.getBatch(id);
  if (isEndedBatchStatus(before.status) || before.status === 'cancelling') {
    return nothingToDo(before, `is already ${before.status}: nothing to cancel`);
  }
  try {
    return await client.cancelBatch(id);
  } catch (error) {
    // It ended between the two requests.
    if (!(error instanceof LlmqApiError && error.status === 409)) throw error;
    const after = await client.getBatch(id);
    return nothingToDo(after, `is already ${after.status}: nothing to cancel`);
  }
}

async function retryBatch(client: LlmqClient, id: string): Promise<BatchBody> {
  const before = await client.getBatch(id);
  if (before.counts.failed === 0)
    return nothingToDo(before, 'has no failed items: nothing to retry');
  const after = await client.retryBatch(id);
  const failed = before.counts.failed;
  process.stderr.write(
    `batch ${id}: ${failed} failed item${failed === 1 ? '' : 's'} queued again\n`,
  );
  return after;
}

function nothingToDo(batch: BatchBody, reason: string): BatchBody {
  process.stderr.write(`batch ${batch.id} ${reason}\n`);
  return batch;
}

function printBatch(client: LlmqClient, batch: BatchBody, json: boolean | undefined): void {
  process.stdout.write(
    json ? `${JSON.stringify(batch, null, 2)}\n` : formatBatchSummary(batch, client.baseUrl),
  );
}

async function runBatch(
  client: LlmqClient,
  configDirectory: string,
  paths: string[],
  options: BatchOptions,
): Promise<void> {
  if (paths.length === 0)
    throw new Error('give the files, folders or globs to run the prompt over');
  if (options.schemaMulti && !options.schema) {
    throw new Error('--schema-multi needs a --schema to make a list of');
  }
  // Read before any upload, so that a bad schema costs nothing.
  const schema = options.schema ? await readSchemaArgument(options.schema) : undefined;
  const files = await expandPaths(paths);
  const concurrency = Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('--concurrency takes a positive whole number');
  let uploaded = 0;
  const ids = await mapConcurrently(files, concurrency, async (file) => {
    const result = await ensureUploaded(client, file);
    if (result.uploaded) uploaded++;
    return result.id;
  });
  process.stderr.write(
    `${files.length} files: ${uploaded} uploaded, ${files.length - uploaded} already on the server\n`,
  );
  // No model sent means the server's default (LLMQ_DEFAULT_MODEL).
  const modelName = options.model ?? (await readDefaultModel(configDirectory));
  const modelOptionValues = await modelOptions(client, modelName, options.option);
  const created = await client.createBatch({
    ...(modelName ? { model: modelName } : {}),
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(options.system ? { system: options.system } : {}),
    ...(modelOptionValues ? { options: modelOptionValues } : {}),
    ...(schema ? schemaRequestFields(schema, options.schemaMulti) : {}),
    ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {}),
    items: files.map((file, index) => ({
      custom_id: relative(process.cwd(), file),
      attachments: [{ id: ids[index] as string }],
    })),
  });
  process.stderr.write(`batch ${created.id}: ${created.counts.total} items\n`);
  process.once('SIGINT', () => {
    process.stderr.write(
      `\nstopped following; the batch goes on (llmq batch cancel ${created.id} to stop it)\n`,
    );
    process.exit(130);
  });
  const display = new ProgressDisplay();
  let final = created;
  for await (const event of client.followBatch(created.id)) {
    display.update(event.counts, event.type === 'done');
    final = { ...final, status: event.status, counts: event.counts };
  }
  const out = options.out ?? `llmq-batch-${created.id}.jsonl`;
  await writeResults(client, created.id, out);
  process.stderr.write(
    `${final.status}: ${final.counts.succeeded} succeeded, ${final.counts.failed} failed; results in ${out}\n`,
  );
  if (final.counts.failed > 0) process.exitCode = 1;
}

async function writeResults(
  client: LlmqClient,
  id: string,
  out: string | undefined,
  status?: string,
  dataOnly?: boolean,
): Promise<void> {
  // A multi schema's answers are lists of matches: one line per match, as `llmq logs --data`.
  const multi = dataOnly ? await hasMultiSchema(client, id) : false;
  const target = out ? createWriteStream(out) : process.stdout;
  for await (const line of client.batchResultLines(id, status)) {
    const written = dataOnly
      ? [...dataLines([JSON.parse(line) as { text?: string | null; data?: unknown }], multi)].join(
          '',
        )
      : `${line}\n`;
    if (written && !target.write(written))
      await new Promise<void>((resume) => target.once('drain', () => resume()));
  }
  if (out)
    await new Promise<void>((done, fail) =>
      (target as ReturnType<typeof createWriteStream>).end((error?: Error | null) =>
        error ? fail(error) : done(),
      ),
    );
}

/** Whether the batch's schema is a multi schema (`{items: […]}`, as `--schema-multi` makes). */
async function hasMultiSchema(client: LlmqClient, id: string): Promise<boolean> {
  const { schema_id: schemaId } = await client.getBatch(id);
  return schemaId ? isMultiSchema((await client.getSchema(schemaId)).schema) : false;
}

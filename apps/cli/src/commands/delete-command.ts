import { type DeletableKind, deletableKinds, type LlmqClient } from '@llmq/client';
import { Command, InvalidArgumentError } from 'commander';
import { formatJson } from '../json-output.ts';
import { action } from '../output.ts';

function parseKind(value: string): DeletableKind {
  if (!(deletableKinds as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`say what to delete: ${deletableKinds.join(', ')}`);
  }
  return value as DeletableKind;
}

/**
 * `llmq delete <kind> <id…>`: each id deleted in turn; the first refusal (a prompt still running,
 * a batch not ended) stops with the server's words, after the ones before it are gone.
 */
export function deleteCommand(getClient: () => LlmqClient): Command {
  return new Command('delete')
    .description(
      'Delete prompts, conversations or ended batches with what is stored for them, or give up your hold on attachments',
    )
    .argument('<kind>', `what to delete: ${deletableKinds.join(', ')}`, parseKind)
    .argument('<ids...>', 'the ids')
    .option('--json', 'print what the server answered, one JSON line per id')
    .action(
      action(async (kind: DeletableKind, ids: string[], options: { json?: boolean }) => {
        const client = getClient();
        for (const id of ids) {
          const deleted = await client.delete(kind, id);
          if (options.json) {
            process.stdout.write(formatJson(deleted, false));
          } else {
            const along =
              deleted.prompts === undefined
                ? ''
                : ` (${deleted.prompts} prompt${deleted.prompts === 1 ? '' : 's'})`;
            process.stdout.write(`deleted ${kind} ${deleted.id}${along}\n`);
          }
        }
      }),
    );
}

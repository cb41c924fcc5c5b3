import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { action } from '../output.ts';

/** `llmq keys`: create, list and revoke owner keys (with an admin key). */
export function keysCommand(getClient: () => LlmqClient): Command {
  const keys = new Command('keys').description(
    'Manage API keys (needs an admin key, from the server’s LLMQ_API_KEYS)',
  );
  keys.addCommand(
    new Command('create')
      .description('Create an owner key; it is printed this once')
      .argument('<name>', 'a name to recognise it by')
      .action(
        action(async (name: string) => {
          const created = await getClient().createKey(name);
          process.stdout.write(`${created.key}\n`);
          process.stderr.write(
            `key ${created.id} (${created.name}) created: keep it now, it cannot be shown again\n`,
          );
        }),
      ),
  );
  keys.addCommand(
    new Command('list')
      .description('List the owner keys (never the keys themselves)')
      .option('--json', 'print them as JSON')
      .action(
        action(async (options: { json?: boolean }) => {
          const list = await getClient().listKeys();
          if (options.json) {
            process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
            return;
          }
          for (const key of list) {
            process.stdout.write(
              `${key.id}  ${key.name}  created ${key.created_at}${key.revoked_at ? `  revoked ${key.revoked_at}` : ''}\n`,
            );
          }
        }),
      ),
  );
  keys.addCommand(
    new Command('revoke')
      .description('Revoke an owner key: it stops working at once')
      .argument('<id>', 'the key id (from llmq keys list)')
      .action(
        action(async (id: string) => {
          const revoked = await getClient().revokeKey(id);
          process.stdout.write(`revoked ${revoked.id}\n`);
        }),
      ),
  );
  return keys;
}

import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { formatJson } from '../json-output.ts';
import { addKeyOptions, type KeyFlags, keySettingsOfFlags } from '../key-options.ts';
import { keyLine, limitSummary } from '../limit-summary.ts';
import { action } from '../output.ts';

const settingsHelp = `
Models are ids or aliases (-m for each). Budgets are USD per --budget-period (day, week or
month, UTC). With keys update, none clears a setting: --budget none, --rpm none, -m none
(every model), --expires-at none, --webhook none.`;

/**
 * `llmq keys`: the server's owner keys (admin keys only): create, list, change and revoke them.
 * Model providers' keys are `llmq provider-keys`.
 */
export function keysCommand(getClient: () => LlmqClient): Command {
  const keys = new Command('keys').description(
    'Manage API keys, their models, expiry and limits (needs an admin key, from the server’s LLMQ_API_KEYS)',
  );
  keys.addCommand(
    addKeyOptions(
      new Command('create')
        .description('Create an owner key; it is printed this once')
        .argument('<name>', 'a name to recognise it by')
        .option('--owner <owner>', 'share an owner with other keys (default: its own)')
        .addHelpText('after', settingsHelp),
    ).action(
      action(async (name: string, flags: KeyFlags & { owner?: string }) => {
        const created = await getClient().createKey({
          name,
          ...(flags.owner === undefined ? {} : { owner: flags.owner }),
          ...keySettingsOfFlags(flags),
        });
        process.stdout.write(`${created.key}\n`);
        process.stderr.write(
          `key ${created.id} (${created.name}) created, owner ${created.owner}, ${limitSummary(created)}: keep it now, it cannot be shown again\n`,
        );
      }),
    ),
  );
  keys.addCommand(
    new Command('list')
      .description('List the owner keys and their settings (never the keys themselves)')
      .option('--json', 'print them as JSON')
      .action(
        action(async (options: { json?: boolean }) => {
          const list = await getClient().listKeys();
          if (options.json) {
            process.stdout.write(formatJson(list, true));
            return;
          }
          if (list.length === 0) process.stderr.write('no keys yet: llmq keys create NAME\n');
          for (const key of list) process.stdout.write(`${keyLine(key)}\n`);
        }),
      ),
  );
  keys.addCommand(
    addKeyOptions(
      new Command('update')
        .description('Change a key’s name, models, expiry, webhook or limits; the rest stays')
        .argument('<id>', 'the key id (from llmq keys list)')
        .option('--name <name>', 'a new name')
        .addHelpText('after', settingsHelp),
    ).action(
      action(async (id: string, flags: KeyFlags & { name?: string }) => {
        const changes = {
          ...(flags.name === undefined ? {} : { name: flags.name }),
          ...keySettingsOfFlags(flags),
        };
        if (Object.keys(changes).length === 0) {
          throw new Error('Nothing to change: give --name, -m, --expires-in-days, --budget, …');
        }
        const changed = await getClient().updateKey(id, changes);
        process.stdout.write(`${keyLine(changed)}\n`);
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

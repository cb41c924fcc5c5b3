import type { LlmqClient } from '@llmq/client';
import { Command } from 'commander';
import { formatJson } from '../json-output.ts';
import { limitSummary } from '../limit-summary.ts';
import { action } from '../output.ts';

/** `llmq limits`: what binds the key in use, its own settings and its owner's limits. */
export function limitsCommand(getClient: () => LlmqClient): Command {
  return new Command('limits')
    .description('Show what binds your key: its models, expiry and limits, and its owner’s')
    .option('--json', 'print them as JSON')
    .action(
      action(async (options: { json?: boolean }) => {
        const limits = await getClient().limits();
        if (options.json) {
          process.stdout.write(formatJson(limits, true));
          return;
        }
        const { key } = limits;
        const lines = [`owner: ${limits.owner ?? '(none: this server has no keys)'}`];
        if (key) {
          lines.push(
            `key: ${key.id} (${key.name}), ${limitSummary(key)}`,
            `models: ${key.allowed_models === null ? 'every model' : key.allowed_models.join(', ')}`,
            `expires: ${key.expires_at ?? 'never'}`,
          );
        } else {
          lines.push('key: an admin key (no limits of its own)');
        }
        lines.push(
          `owner limits: ${limits.owner_limits ? limitSummary(limits.owner_limits) : 'no limits'}`,
        );
        process.stdout.write(`${lines.join('\n')}\n`);
      }),
    );
}

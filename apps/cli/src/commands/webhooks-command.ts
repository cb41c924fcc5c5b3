import type { LlmqClient } from '@llmq/client';
import { Command, InvalidArgumentError } from 'commander';
import { formatJson } from '../json-output.ts';
import { action } from '../output.ts';
import { formatWebhookTable } from '../webhook-table.ts';

const statuses = ['pending', 'delivered', 'failed'] as const;
type Status = (typeof statuses)[number];

function parseStatus(value: string): Status {
  if (!(statuses as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`one of ${statuses.join(', ')}`);
  }
  return value as Status;
}

function parseLimit(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new InvalidArgumentError('a whole number from 1 to 500');
  }
  return limit;
}

const pretty = () => process.stdout.isTTY === true;

/** `llmq webhooks`: the deliveries of prompts' and batches' ends, their attempts, the secret. */
export function webhooksCommand(getClient: () => LlmqClient): Command {
  const command = new Command('webhooks').description(
    'Webhook deliveries with their attempts, retries, and the signing secret',
  );
  command
    .command('list', { isDefault: true })
    .description('List deliveries, newest first (an owner key sees its own owner’s)')
    .option('--subject <id>', 'only the deliveries of this prompt or batch')
    .option('--status <status>', 'pending, delivered or failed', parseStatus)
    .option('-n, --limit <n>', 'how many (default 50)', parseLimit)
    .option('--json', 'print the deliveries as JSON')
    .action(
      action(
        async (options: { subject?: string; status?: Status; limit?: number; json?: boolean }) => {
          const page = await getClient().webhookDeliveries({
            subjectId: options.subject,
            status: options.status,
            limit: options.limit,
          });
          process.stdout.write(
            options.json ? formatJson(page.data, pretty()) : formatWebhookTable(page.data),
          );
        },
      ),
    );
  command
    .command('show <id>')
    .description('One delivery with every attempt and the body sent, as JSON')
    .action(
      action(async (id: string) => {
        process.stdout.write(formatJson(await getClient().webhookDelivery(id), pretty()));
      }),
    );
  command
    .command('retry <id>')
    .description('Deliver a failed delivery again (another round of attempts)')
    .action(
      action(async (id: string) => {
        const delivery = await getClient().retryWebhookDelivery(id);
        process.stdout.write(`${delivery.id} ${delivery.status}\n`);
      }),
    );
  command
    .command('secret')
    .description('Print the whsec_… key deliveries are signed with (admin keys)')
    .action(
      action(async () => {
        process.stdout.write(`${await getClient().webhookSecret()}\n`);
      }),
    );
  return command;
}

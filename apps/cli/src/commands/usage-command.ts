import type { LlmqClient } from '@llmq/client';
import { type UsageDimensionName, usageDimensions } from '@llmq/contracts';
import { Command, InvalidArgumentError } from 'commander';
import { formatJson } from '../json-output.ts';
import { action } from '../output.ts';
import { formatUsageTable } from '../usage-table.ts';

interface UsageOptions {
  from?: string;
  to?: string;
  groupBy?: UsageDimensionName[];
  owner?: string;
  keyId?: string;
  model?: string;
  json?: boolean;
}

/** `--group-by day,model`: the dimensions, each one the server knows. */
function parseGroupBy(value: string): UsageDimensionName[] {
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(usageDimensions as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`group by ${usageDimensions.join(', ')} (comma-separated)`);
    }
  }
  return names as UsageDimensionName[];
}

/** `llmq usage`: spend and tokens over a range of days, as a table with totals or JSON. */
export function usageCommand(getClient: () => LlmqClient): Command {
  return new Command('usage')
    .description(
      'Show spend and tokens per day, model, key or owner (an owner key sees its own owner’s only)',
    )
    .option('--from <day>', 'first UTC day, YYYY-MM-DD (default: 29 days before --to)')
    .option('--to <day>', 'last UTC day, YYYY-MM-DD (default: today)')
    .option(
      '--group-by <dimensions>',
      'split by day, model, key, owner (comma-separated)',
      parseGroupBy,
    )
    .option('--owner <owner>', 'only this owner’s usage (admin keys)')
    .option('--key-id <id>', 'only this key’s usage')
    .option('-m, --model <model>', 'only this model’s usage')
    .option('--json', 'print the report as JSON')
    .action(
      action(async (options: UsageOptions) => {
        const report = await getClient().usage({
          from: options.from,
          to: options.to,
          groupBy: options.groupBy,
          owner: options.owner,
          keyId: options.keyId,
          model: options.model,
        });
        process.stdout.write(
          options.json
            ? formatJson(report, process.stdout.isTTY === true)
            : formatUsageTable(report),
        );
      }),
    );
}

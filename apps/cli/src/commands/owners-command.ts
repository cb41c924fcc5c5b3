import type { LlmqClient } from '@llmq/client';
import type { OwnerLimitsBody } from '@llmq/contracts';
import { Command } from 'commander';
import { formatJson } from '../json-output.ts';
import { addLimitOptions, hasLimitFlags, type LimitFlags, limitsOfFlags } from '../key-options.ts';
import { limitSummary } from '../limit-summary.ts';
import { action } from '../output.ts';

function ownerLine(limits: OwnerLimitsBody): string {
  return `${limits.owner}: ${limitSummary(limits)}${limits.updated_at ? `  (set ${limits.updated_at})` : ''}`;
}

/** `llmq owners limits OWNER`: show, change or clear the limits all of an owner's keys share. */
export function ownersCommand(getClient: () => LlmqClient): Command {
  const owners = new Command('owners').description(
    'Owners: the limits all keys of an owner share (needs an admin key)',
  );
  owners.addCommand(
    addLimitOptions(
      new Command('limits')
        .description(
          'Show an owner’s limits; with limit options, change those (the rest stay); --clear removes them all',
        )
        .argument('<owner>', 'the owner (llmq keys list shows each key’s)')
        .option('--clear', 'remove every limit of the owner')
        .option('--json', 'print them as JSON')
        .addHelpText(
          'after',
          '\nnone clears one limit: --budget none, --rpm none. A budget needs --budget-period (day, week or month, UTC).',
        ),
    ).action(
      action(async (owner: string, flags: LimitFlags & { clear?: boolean; json?: boolean }) => {
        const client = getClient();
        if (flags.clear && hasLimitFlags(flags)) {
          throw new Error('Give --clear or limits to set, not both');
        }
        let limits: OwnerLimitsBody;
        if (flags.clear) {
          limits = await client.deleteOwnerLimits(owner);
        } else if (hasLimitFlags(flags)) {
          // The server replaces them all: the limits not named keep their values from here.
          const current = await client.ownerLimits(owner);
          limits = await client.setOwnerLimits(owner, {
            budget_usd: current.budget_usd,
            budget_period: current.budget_period,
            requests_per_minute: current.requests_per_minute,
            tokens_per_minute: current.tokens_per_minute,
            max_concurrent: current.max_concurrent,
            ...limitsOfFlags(flags),
          });
        } else {
          limits = await client.ownerLimits(owner);
        }
        process.stdout.write(flags.json ? formatJson(limits, true) : `${ownerLine(limits)}\n`);
      }),
    ),
  );
  return owners;
}

import { type BudgetPeriod, budgetPeriods, type SubjectLimits } from '@llmq/contracts';
import { type Command, InvalidArgumentError, Option } from 'commander';

/**
 * `none` clears a setting (no limit, no expiry, every model, no webhook). Parsers keep it as
 * the word: commander turns a parser's null into ''.
 */
const none = 'none';
type None = typeof none;

/** The limit flags as commander parses them. */
export interface LimitFlags {
  readonly budget?: number | None;
  readonly budgetPeriod?: BudgetPeriod | None;
  readonly rpm?: number | None;
  readonly tpm?: number | None;
  readonly maxConcurrent?: number | None;
}

/** A key's flags: its limits, and its models, expiry and webhook. */
export interface KeyFlags extends LimitFlags {
  readonly model?: string[] | None;
  readonly expiresInDays?: number | None;
  readonly expiresAt?: string;
  readonly webhook?: string;
}

/** The value a flag gives the body: `none` is null. */
function bodyValue<Value>(flag: Value | None): Value | null {
  return flag === none ? null : (flag as Value);
}

function wholeOrNone(what: string) {
  return (value: string): number | None => {
    if (value === none) return none;
    if (!/^\d+$/.test(value) || Number(value) < 1) {
      throw new InvalidArgumentError(`${what} is a whole number from 1, or none`);
    }
    return Number(value);
  };
}

function amountOrNone(value: string): number | None {
  if (value === none) return none;
  const amount = Number(value);
  if (value.trim() === '' || !Number.isFinite(amount) || amount < 0) {
    throw new InvalidArgumentError('the budget is an amount in USD (e.g. 20 or 7.5), or none');
  }
  return amount;
}

function periodOrNone(value: string): BudgetPeriod | None {
  if (value === none) return none;
  if (!(budgetPeriods as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`the budget period is ${budgetPeriods.join(', ')} or none`);
  }
  return value as BudgetPeriod;
}

function daysOrNone(value: string): number | None {
  if (value === none) return none;
  const days = Number(value);
  if (value.trim() === '' || !Number.isFinite(days) || days <= 0) {
    throw new InvalidArgumentError('the days are a number above 0 (e.g. 30 or 0.5), or none');
  }
  return days;
}

/** Repeated `--model M`; `none` allows every model again. */
function collectModels(value: string, previous: string[] | None | undefined): string[] | None {
  if (value === none) return none;
  return [...(previous === undefined || previous === none ? [] : previous), value];
}

export function addLimitOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--budget <usd>', 'USD that may be spent per budget period').argParser(
        amountOrNone,
      ),
    )
    .addOption(
      new Option(
        '--budget-period <period>',
        `the budget's period: ${budgetPeriods.join(', ')}`,
      ).argParser(periodOrNone),
    )
    .addOption(new Option('--rpm <n>', 'requests per minute').argParser(wholeOrNone('--rpm')))
    .addOption(new Option('--tpm <n>', 'tokens per minute').argParser(wholeOrNone('--tpm')))
    .addOption(
      new Option('--max-concurrent <n>', 'prompts queued or running at once').argParser(
        wholeOrNone('--max-concurrent'),
      ),
    );
}

export function addKeyOptions(command: Command): Command {
  return addLimitOptions(
    command
      .addOption(
        new Option('-m, --model <model>', 'a model the key may use (repeat it for more)').argParser(
          collectModels,
        ),
      )
      .addOption(
        new Option('--expires-in-days <days>', 'the key stops working this many days from now')
          .argParser(daysOrNone)
          .conflicts('expiresAt'),
      )
      .addOption(
        new Option(
          '--expires-at <time>',
          'the key stops working then (ISO 8601, e.g. 2027-01-31T00:00:00Z)',
        ),
      )
      .addOption(
        new Option('--webhook <url>', 'where the end of its prompts and batches is posted'),
      ),
  );
}

/** The limits the flags set, and only those (absent flags are left out). */
export function limitsOfFlags(flags: LimitFlags): SubjectLimits {
  return {
    ...(flags.budget === undefined ? {} : { budget_usd: bodyValue(flags.budget) }),
    ...(flags.budgetPeriod === undefined ? {} : { budget_period: bodyValue(flags.budgetPeriod) }),
    ...(flags.rpm === undefined ? {} : { requests_per_minute: bodyValue(flags.rpm) }),
    ...(flags.tpm === undefined ? {} : { tokens_per_minute: bodyValue(flags.tpm) }),
    ...(flags.maxConcurrent === undefined
      ? {}
      : { max_concurrent: bodyValue(flags.maxConcurrent) }),
  };
}

/** A key body's settings from the flags: absent flags are left out, `none` is null. */
export function keySettingsOfFlags(flags: KeyFlags) {
  const expiresInDays =
    flags.expiresInDays === undefined ? undefined : bodyValue(flags.expiresInDays);
  return {
    ...(flags.model === undefined ? {} : { allowed_models: bodyValue(flags.model) }),
    ...(expiresInDays === undefined
      ? {}
      : expiresInDays === null
        ? { expires_at: null }
        : { expires_in_days: expiresInDays }),
    ...(flags.expiresAt === undefined ? {} : { expires_at: bodyValue(flags.expiresAt) }),
    ...(flags.webhook === undefined ? {} : { webhook_url: bodyValue(flags.webhook) }),
    ...limitsOfFlags(flags),
  };
}

/** Whether any limit flag was given. */
export function hasLimitFlags(flags: LimitFlags): boolean {
  return Object.keys(limitsOfFlags(flags)).length > 0;
}

import { z } from 'zod';

const example =
  '{"prompts":"30d","batches":"30d","files":"30d","webhook_deliveries":"7d","attachments":"30d"}';

const unitMs = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * The longest period: 100 years. A longer one would put the cutoff before the earliest date a
 * JavaScript Date holds ("Invalid time value" at every pass); leaving the kind out keeps it for
 * good.
 */
const longestPeriodMs = 36_500 * unitMs.d;

/** A retention period: a whole number and a unit (`s`, `m`, `h`, `d`, `w`), as `30d` or `12h`. */
export const retentionPeriodSchema = z
  .string()
  .regex(/^[1-9][0-9]*[smhdw]$/, {
    message: 'must be a whole number and a unit (s, m, h, d or w), like "30d" or "12h"',
  })
  .transform((text) => Number(text.slice(0, -1)) * unitMs[text.slice(-1) as keyof typeof unitMs])
  .refine((periodMs) => periodMs <= longestPeriodMs, {
    message:
      'must be at most 100 years ("36500d"): leave the kind out to keep it until it is deleted',
  });

/**
 * How long each kind of stored data is kept after it ended, in milliseconds; a kind not named is
 * kept until deleted. `prompts`: conversations, counted from their last turn's end; `batches`:
 * from the batch's end, with its items; `files`: the facade's uploads, from their upload;
 * `webhook_deliveries`: from their last attempt; `attachments`: an owner's hold on an
 * attachment none of its prompts and files uses any more, from when it was granted.
 */
export const retentionPolicySchema = z.strictObject(
  {
    prompts: retentionPeriodSchema.optional(),
    batches: retentionPeriodSchema.optional(),
    files: retentionPeriodSchema.optional(),
    webhook_deliveries: retentionPeriodSchema.optional(),
    attachments: retentionPeriodSchema.optional(),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `names kinds llmq does not keep (${issue.keys.join(', ')}): the kinds are prompts, batches, files, webhook_deliveries and attachments, like ${example}`
        : `must be an object of periods per kind, like ${example}`,
  },
);
export type RetentionPolicy = z.output<typeof retentionPolicySchema>;

/** LLMQ_RETENTION: the policy as JSON text; empty (or unset) keeps everything until deleted. */
export const retentionSettingSchema = z
  .string()
  .default('')
  .transform((text, context) => {
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: `must be JSON, like ${example}` });
      return z.NEVER;
    }
  })
  .pipe(retentionPolicySchema);

import { z } from 'zod';
import { budgetPeriods, subjectLimitsSchema } from './limits.ts';
import { withoutNul } from './no-nul.ts';

/**
 * An owner: what its keys make, only its keys see. A key made without one is an owner of its
 * own (its id); `admin` is the admin keys' owner and is never given to an owner key.
 */
export const ownerNameSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/,
    'an owner is 1 to 128 letters, digits, dots, dashes, underscores, colons and @, starting with a letter or digit',
  )
  .refine((owner) => owner !== 'admin', {
    message: 'admin is the owner of the admin keys’ work: choose another owner',
  })
  .meta({ description: 'The owner the key’s work belongs to; its keys see each other’s work.' });

export const ownerPathSchema = z.object({ owner: ownerNameSchema });

const limitFields = subjectLimitsSchema.shape;

/** What a key may be given or changed; null clears a field (no limit, no expiry, every model). */
const keySettingFields = {
  allowed_models: z
    .array(z.string().min(1).max(200))
    .min(1, 'give at least one model, or null to allow every model')
    .max(1000)
    .nullable()
    .optional()
    .meta({
      description:
        'The models the key may use, by id or alias (stored as ids); null or absent: every model.',
    }),
  expires_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .meta({ description: 'When the key stops working (in the future); null: never.' }),
  expires_in_days: z
    .number()
    .positive()
    .max(36_500)
    .optional()
    .meta({ description: 'Instead of expires_at: the key expires this many days from now.' }),
  webhook_url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .nullable()
    .optional()
    .meta({
      description: 'Where the end of the key’s prompts and batches is posted when they name none.',
    }),
  ...limitFields,
};

function oneExpiry(body: { expires_at?: string | null; expires_in_days?: number }): boolean {
  return body.expires_at === undefined || body.expires_in_days === undefined;
}
const oneExpiryRule = {
  message: 'give expires_at or expires_in_days, not both',
  path: ['expires_in_days'],
};

export const createApiKeySchema = withoutNul(
  z
    .strictObject({
      name: z.string().min(1).max(200),
      owner: ownerNameSchema.optional(),
      ...keySettingFields,
    })
    .refine(oneExpiry, oneExpiryRule)
    .refine((body) => (body.budget_usd ?? null) === null || (body.budget_period ?? null) !== null, {
      message: 'a budget needs its period: give budget_period (day, week or month)',
      path: ['budget_period'],
    }),
).meta({ id: 'CreateApiKey' });
export type CreateApiKeyBody = z.infer<typeof createApiKeySchema>;

/**
 * A change to a key: absent fields stay, null clears. A budget still needs its period once the
 * change is applied (checked against the stored key).
 */
export const updateApiKeySchema = withoutNul(
  z
    .strictObject({ name: z.string().min(1).max(200).optional(), ...keySettingFields })
    .refine(oneExpiry, oneExpiryRule),
).meta({ id: 'UpdateApiKey' });
export type UpdateApiKeyBody = z.infer<typeof updateApiKeySchema>;

/** Limits as stored: every field present, null for no limit. */
export const limitValuesSchema = z.object({
  budget_usd: z.number().nullable(),
  budget_period: z.enum(budgetPeriods).nullable(),
  requests_per_minute: z.int().nullable(),
  tokens_per_minute: z.int().nullable(),
  max_concurrent: z.int().nullable(),
});
export type LimitValues = z.infer<typeof limitValuesSchema>;

export const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    owner: z.string(),
    created_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
    expires_at: z.iso.datetime().nullable(),
    allowed_models: z.array(z.string()).nullable(),
    webhook_url: z.string().nullable(),
    ...limitValuesSchema.shape,
  })
  .meta({ id: 'ApiKey' });
export type ApiKeyBody = z.infer<typeof apiKeySchema>;

export const createdApiKeySchema = apiKeySchema
  .extend({
    key: z.string().meta({ description: 'The key itself: shown this once, never again.' }),
  })
  .meta({ id: 'CreatedApiKey' });
export type CreatedApiKeyBody = z.infer<typeof createdApiKeySchema>;

export const apiKeyListSchema = z
  .object({ data: z.array(apiKeySchema) })
  .meta({ id: 'ApiKeyList' });

export const ownerLimitsSchema = z
  .object({
    owner: z.string(),
    ...limitValuesSchema.shape,
    updated_at: z.iso
      .datetime()
      .nullable()
      .meta({ description: 'When an admin last set them; null: none set (no limits).' }),
  })
  .meta({ id: 'OwnerLimits' });
export type OwnerLimitsBody = z.infer<typeof ownerLimitsSchema>;

/** What binds the calling key: its own settings and its owner's limits, each checked alone. */
export const callerLimitsSchema = z
  .object({
    owner: z.string().nullable(),
    key: apiKeySchema.omit({ revoked_at: true }).nullable().meta({
      description: 'The calling owner key; null for an admin key or a server without keys.',
    }),
    owner_limits: ownerLimitsSchema.nullable(),
  })
  .meta({ id: 'CallerLimits' });
export type CallerLimitsBody = z.infer<typeof callerLimitsSchema>;

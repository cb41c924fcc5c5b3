import { z } from 'zod';
import { withoutNul } from './no-nul.ts';

/** A provider key's name, as models name the key they need (`openai`). */
export const providerKeyNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'lower-case letters, digits, dots, dashes and underscores')
  .meta({
    description: 'The name models give for the key they need (`needs_key` in GET /v1/models).',
  });

export const providerKeyPathSchema = z.object({ name: providerKeyNameSchema });

export const setProviderKeySchema = withoutNul(
  z.strictObject({
    key: z
      .string()
      .trim()
      .min(1)
      .max(4096)
      .meta({ description: 'The provider’s key: stored encrypted, never returned.' }),
  }),
).meta({ id: 'SetProviderKey' });
export type SetProviderKeyBody = z.infer<typeof setProviderKeySchema>;

export const providerKeySchema = z
  .object({
    name: z.string(),
    last_four: z
      .string()
      .meta({ description: 'The key’s last four characters, to tell keys apart.' }),
    set_by: z
      .string()
      .nullable()
      .meta({ description: 'The owner of the admin key that stored it.' }),
    set_at: z.iso.datetime(),
    models: z.array(z.string()).meta({ description: 'The models that need a key of this name.' }),
  })
  .meta({ id: 'ProviderKey' });
export type ProviderKeyBody = z.infer<typeof providerKeySchema>;

export const providerKeyListSchema = z
  .object({ data: z.array(providerKeySchema) })
  .meta({ id: 'ProviderKeyList' });
export type ProviderKeyListBody = z.infer<typeof providerKeyListSchema>;

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

/** Shorter than this, a value is not a provider's key (every provider's keys are longer). */
const providerKeyMinLength = 8;
/**
 * From this length on, the last four characters are shown to tell keys apart; a shorter key
 * would give away too large a part of itself. The engine stores no last four below it.
 */
const providerKeyLastFourMinLength = 12;

export const setProviderKeySchema = withoutNul(
  z.strictObject({
    key: z
      .string()
      .trim()
      .min(
        providerKeyMinLength,
        `a provider key has at least ${providerKeyMinLength} characters: paste the whole key the provider gave you`,
      )
      .max(4096)
      // The key is sent in an HTTP header on every run: a character a header cannot carry
      // (a newline, a space, a control character, a terminal escape, non-ASCII) would make
      // every prompt fail far from here, so it is refused when stored.
      .regex(
        /^[\x21-\x7e]+$/,
        'a provider key is printable ASCII without spaces (it is sent in an HTTP header): this one holds a space, line break, control character, escape sequence or non-ASCII character; copy the key again from the provider, without quotes or surrounding text',
      )
      .meta({
        description: `The provider’s key: stored encrypted, never returned. At least ${providerKeyMinLength} characters, printable ASCII without spaces (it goes in an HTTP header).`,
      }),
  }),
).meta({ id: 'SetProviderKey' });
export type SetProviderKeyBody = z.infer<typeof setProviderKeySchema>;

export const providerKeySchema = z
  .object({
    name: z.string(),
    last_four: z
      .string()
      .nullable()
      .meta({
        description: `The key’s last four characters, to tell keys apart; null for a key shorter than ${providerKeyLastFourMinLength} characters, where four would give away too much of it.`,
      }),
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

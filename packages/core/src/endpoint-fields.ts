import { z } from 'zod';

/** As provider key names are (`llmq provider-keys set <name>` takes them). */
export const providerNamePattern = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

/**
 * The fields of a provider plugin's model entry that say where the model lives, shared so that
 * every plugin checks them alike (as llm's `extra-openai-models.yaml` has `api_base` and
 * `api_key_name`).
 */
export const endpointFields = {
  /** The server's base URL (http or https), without credentials or a query: keys have a field. */
  base_url: z
    .url({ protocol: /^https?$/, message: 'an http(s) URL' })
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.username === '' && parsed.password === '' && parsed.search === '';
    }, 'a base URL holds no user, password or query: the key goes in the variable key_env names')
    .optional(),
  /**
   * The settings variable holding the model's key; null for a server that needs none. A plugin
   * requires it with a base URL other than its provider's, so its provider's key is never sent
   * to another server unless asked for by name.
   */
  key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a variable name (letters, digits, underscores)')
    .nullable()
    .optional(),
  /** Who serves the model, shown in listings and naming its stored key. */
  provider: z
    .string()
    .regex(providerNamePattern, 'lower-case letters, digits, dots, dashes and underscores')
    .optional(),
};

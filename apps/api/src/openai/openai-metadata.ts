import { z } from 'zod';

/**
 * OpenAI's `metadata`: up to 16 string pairs, keys up to 64 characters and values up to 512,
 * refused as OpenAI refuses them (a 400 naming `metadata` itself, not the key). It is stored
 * with the prompt, so the limits also keep a request from storing an unbounded object there.
 */
export const openAIMetadataSchema = z
  .record(z.string(), z.string())
  .superRefine((metadata, context) => {
    const entries = Object.entries(metadata);
    const issue = (message: string) => context.addIssue({ code: 'custom', message });
    if (entries.length > 16) {
      issue(`metadata holds at most 16 pairs, not ${entries.length}`);
    }
    for (const [key, value] of entries) {
      if (key.length > 64) issue(`the metadata key '${key.slice(0, 64)}…' is over 64 characters`);
      if (value.length > 512)
        issue(`the value of metadata key '${key.slice(0, 64)}' is over 512 characters`);
    }
  });

import { z } from 'zod';
import { OpenAIRequestError } from './openai-error.ts';

/** OpenAI's bounds on an expiry: one hour to thirty days after the anchor. */
const minimumSeconds = 3_600;
const maximumSeconds = 2_592_000;

const secondsRule = `seconds must be a whole number from ${minimumSeconds} (1 hour) to ${maximumSeconds} (30 days)`;

/**
 * OpenAI's expiry policy of a file (`expires_after`) or of a batch's output
 * (`output_expires_after`): `{anchor: "created_at", seconds}`.
 */
export const expiresAfterSchema = z.strictObject({
  anchor: z.literal('created_at', { message: 'anchor must be created_at, the only anchor' }),
  seconds: z
    .int({ message: secondsRule })
    .min(minimumSeconds, secondsRule)
    .max(maximumSeconds, secondsRule),
});
export type ExpiresAfter = z.output<typeof expiresAfterSchema>;

/**
 * The `expires_after` of a multipart upload, as OpenAI's SDKs send it (the fields
 * `expires_after[anchor]` and `expires_after[seconds]`); undefined when neither was sent.
 */
export function expiresAfterOfFields(
  fields: ReadonlyMap<string, string>,
  name: string,
): ExpiresAfter | undefined {
  const anchor = fields.get(`${name}[anchor]`);
  const seconds = fields.get(`${name}[seconds]`);
  if (anchor === undefined && seconds === undefined) return undefined;
  const parsed = expiresAfterSchema.safeParse({
    anchor,
    seconds: seconds !== undefined && /^[0-9]+$/.test(seconds) ? Number(seconds) : seconds,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = `${name}[${String(issue?.path[0] ?? 'anchor')}]`;
    throw new OpenAIRequestError(400, `${field}: ${issue?.message ?? 'invalid'}`, field);
  }
  return parsed.data;
}

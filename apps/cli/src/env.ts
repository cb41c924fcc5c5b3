import { parseEnvironment } from '@llmq/contracts';
import { z } from 'zod';

const schema = z.object({
  LLMQ_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3000'),
  LLMQ_API_KEY: z.string().min(1).optional(),
});

export type CliEnvironment = z.output<typeof schema>;

/** Where the server is and the key to use, unless `--url` / `--key` say otherwise. */
export function readEnvironment(): CliEnvironment {
  return parseEnvironment(schema, process.env);
}

import { z } from 'zod';

export const echoOptionsSchema = z.object({
  delay_ms: z
    .int()
    .min(0)
    .max(60_000)
    .optional()
    .describe('Milliseconds to wait before each chunk (default 0).'),
  chunk_size: z
    .int()
    .min(1)
    .max(1_000_000)
    .optional()
    .describe('Characters per streamed chunk (default 16).'),
  fail: z
    .enum(['retryable', 'fatal'])
    .optional()
    .describe('Fail on purpose: a retryable ModelError, or a non-retryable one.'),
  fail_attempts: z
    .int()
    .min(1)
    .optional()
    .describe('Fail only on the first n attempts (default: every attempt).'),
  reasoning: z
    .string()
    .optional()
    .describe('Stream this text as reasoning before the answer (chunked like the answer).'),
  fail_after_chunks: z
    .int()
    .min(0)
    .optional()
    .describe('Stream this many chunks before failing (default 0).'),
});

export type EchoOptions = z.output<typeof echoOptionsSchema>;

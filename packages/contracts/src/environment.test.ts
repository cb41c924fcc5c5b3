import { describe, expect, it } from 'vitest';
import { EnvironmentError, parseEnvironment, sharedEnvironmentSchema } from './environment.ts';

describe('LLMQ_SECRET_KEY', () => {
  it('takes 64 hex digits or base64 of 32 bytes', () => {
    const hex = 'ab'.repeat(32);
    const base64 = Buffer.alloc(32, 9).toString('base64');
    expect(
      parseEnvironment(sharedEnvironmentSchema, { LLMQ_SECRET_KEY: hex }).LLMQ_SECRET_KEY,
    ).toBe(hex);
    expect(
      parseEnvironment(sharedEnvironmentSchema, { LLMQ_SECRET_KEY: base64 }).LLMQ_SECRET_KEY,
    ).toBe(base64);
  });

  it('refuses anything else, saying how to make one, without echoing the value', () => {
    const attempt = () =>
      parseEnvironment(sharedEnvironmentSchema, { LLMQ_SECRET_KEY: 'hunter2-my-password' });
    expect(attempt).toThrow(EnvironmentError);
    expect(attempt).toThrow(/LLMQ_SECRET_KEY: must be 32 random bytes .*openssl rand -hex 32/);
    expect(attempt).not.toThrow(/hunter2/);
  });
});

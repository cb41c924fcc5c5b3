import { AttachmentError, ModelError } from '@llmq/core';
import { DatabaseUnavailableError } from '@llmq/db';
import { DrizzleQueryError } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { jobOutageOf } from './job-outage.ts';

function withCode(message: string, code: string, name = 'Error'): Error {
  const error = new Error(message) as Error & { code: string };
  error.code = code;
  error.name = name;
  return error;
}

function drizzleError(cause: unknown): Error {
  return new DrizzleQueryError('select 1', [], cause as Error);
}

describe('jobOutageOf', () => {
  it('sees the database in failed queries and in the driver’s connection errors', () => {
    expect(
      jobOutageOf(drizzleError(withCode('write CONNECTION_CLOSED', 'CONNECTION_CLOSED'))),
    ).toBe('database');
    expect(jobOutageOf(drizzleError(withCode('connect ECONNREFUSED', 'ECONNREFUSED')))).toBe(
      'database',
    );
    expect(jobOutageOf(drizzleError(withCode('terminating connection', '57P01')))).toBe('database');
    expect(jobOutageOf(drizzleError(withCode('connection failure', '08006')))).toBe('database');
    expect(jobOutageOf(new DatabaseUnavailableError('down'))).toBe('database');
    expect(
      jobOutageOf(new Error('wrapped', { cause: drizzleError(withCode('x', 'ECONNRESET')) })),
    ).toBe('database');
  });

  it('sees Redis in the client’s own errors', () => {
    const retries = new Error('Reached the max retries per request limit (which is 3).');
    retries.name = 'MaxRetriesPerRequestError';
    expect(jobOutageOf(retries)).toBe('redis');
    expect(
      jobOutageOf(new Error('append failed', { cause: new Error('Connection is closed.') })),
    ).toBe('redis');
  });

  it('never takes a prompt’s own failure for an outage, whatever caused it', () => {
    const refused = withCode('connect ECONNREFUSED 127.0.0.1:8080', 'ECONNREFUSED');
    expect(
      jobOutageOf(new ModelError('provider unreachable', { retryable: true, cause: refused })),
    ).toBeUndefined();
    expect(jobOutageOf(new AttachmentError('could not fetch', { cause: refused }))).toBeUndefined();
    // A plugin's own copy of ModelError is known by its name.
    const foreign = new Error('provider unreachable', { cause: refused });
    foreign.name = 'ModelError';
    expect(jobOutageOf(foreign)).toBeUndefined();
    const storage = new Error('S3 down', { cause: refused });
    storage.name = 'StorageUnavailableError';
    expect(jobOutageOf(storage)).toBeUndefined();
  });

  it('leaves socket errors that did not come through the database to the retry policy', () => {
    expect(
      jobOutageOf(new TypeError('fetch failed', { cause: withCode('x', 'ECONNREFUSED') })),
    ).toBeUndefined();
    expect(jobOutageOf(withCode('read ECONNRESET', 'ECONNRESET'))).toBeUndefined();
    expect(jobOutageOf(drizzleError(withCode('syntax error', '42601')))).toBeUndefined();
    expect(jobOutageOf(new Error('anything'))).toBeUndefined();
    expect(jobOutageOf(undefined)).toBeUndefined();
  });
});

import { SchemaMismatchError } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { compileJsonSchema } from './compile-json-schema.ts';
import { matchSchema } from './match-schema.ts';

const validate = compileJsonSchema({
  type: 'object',
  properties: { items: { type: 'array', items: { type: 'integer' } } },
  required: ['items'],
});

describe('matchSchema', () => {
  it('gives the parsed answer when it matches', () => {
    expect(matchSchema(' {"items": [1, 2]}\n', validate, { retryable: true })).toEqual({
      items: [1, 2],
    });
  });

  it('refuses text that is not JSON with the parse error, retryable as asked', () => {
    const error = (() => {
      try {
        matchSchema('Sure! Here it is', validate, { retryable: false });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(SchemaMismatchError);
    expect((error as SchemaMismatchError).retryable).toBe(false);
    expect((error as SchemaMismatchError).reason).toMatch(/^the answer is not JSON \(/);
  });

  it('names where the answer differs, by instance path', () => {
    expect(() => matchSchema('{"items": [1, "two"]}', validate, { retryable: true })).toThrow(
      '/items/1 must be integer',
    );
  });

  it('refuses an answer nested too deeply to check as a mismatch', () => {
    const recursive = compileJsonSchema({
      $defs: { node: { type: 'array', items: { $ref: '#/$defs/node' } } },
      $ref: '#/$defs/node',
    });
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(() => matchSchema(deep, recursive, { retryable: true })).toThrow(
      /^The answer does not match the prompt's schema: the answer is nested too deeply to check/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { OptionsError } from './errors.ts';
import { MockModel } from './mock-model.fixture.ts';
import { optionsJsonSchema } from './options.ts';

describe('options', () => {
  const model = new MockModel();

  it('accepts valid options and gives them to the prompt', async () => {
    await model.prompt('q', { options: { max_tokens: 42 } });
    expect(model.history.at(-1)?.prompt.options).toEqual({ max_tokens: 42 });
  });

  it('treats missing options as none', () => {
    expect(model.parseOptions(undefined)).toEqual({});
  });

  it('refuses unknown keys, naming the key and the accepted ones', () => {
    const error = captureOptionsError(() => model.parseOptions({ max_tokns: 5 }));
    expect(error.message).toBe(
      "Unknown option 'max_tokns' for model mock; it accepts: max_tokens, temperature",
    );
    expect(error.issues).toEqual([{ path: 'max_tokns', message: error.message }]);
  });

  it('names every unknown option once and the accepted ones once, with an issue for each', () => {
    const error = captureOptionsError(() =>
      model.parseOptions({ colour: 'red', max_tokns: 5, temperature: 'hot' }),
    );
    expect(error.message).toMatch(
      /^Unknown options 'colour', 'max_tokns' for model mock; it accepts: max_tokens, temperature; Option 'temperature': .*expected number/,
    );
    expect(error.message.match(/it accepts/g)).toHaveLength(1);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual([
      'colour',
      'max_tokns',
      'temperature',
    ]);
    expect(error.issues.find((issue) => issue.path === 'colour')?.message).toBe(
      "Unknown option 'colour' for model mock; it accepts: max_tokens, temperature",
    );
  });

  it('refuses bad values, naming the field and what it expects', () => {
    const wrongType = captureOptionsError(() => model.parseOptions({ temperature: 'hot' }));
    expect(wrongType.message).toMatch(/^Option 'temperature': .*expected number, received string/);
    const tooBig = captureOptionsError(() => model.parseOptions({ temperature: 5 }));
    expect(tooBig.message).toMatch(/^Option 'temperature': .*<=2/);
    expect(tooBig.issues[0]?.path).toBe('temperature');
  });

  it('refuses options that are not an object', () => {
    expect(captureOptionsError(() => model.parseOptions([1])).message).toMatch(
      /^Options for model mock: /,
    );
  });

  it('raises at prompt() time, before anything runs', () => {
    expect(() => model.prompt('q', { options: { nope: true } })).toThrow(OptionsError);
  });

  it('describes the options as JSON Schema that forbids other keys', () => {
    expect(optionsJsonSchema(model.optionsSchema)).toMatchObject({
      type: 'object',
      additionalProperties: false,
      properties: {
        max_tokens: { type: 'integer', minimum: 1 },
        temperature: { type: 'number', minimum: 0, maximum: 2 },
      },
    });
  });
});

function captureOptionsError(run: () => unknown): OptionsError {
  try {
    run();
  } catch (error) {
    if (error instanceof OptionsError) return error;
    throw error;
  }
  throw new Error('expected an OptionsError');
}

import { describe, expect, it } from 'vitest';
import { ChatMappingError, chatOptions, chatRequestSchema } from './chat-request.ts';

/** Can be strict once llmq closes its object (every property required). */
const closable = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
/** Cannot be strict: a property is optional. */
const optional = { type: 'object', properties: { a: { type: 'string' } } };

const withOptions = new Set(['json_object', 'strict_schema']);
const withoutStrictSchema = new Set(['json_object']);

function optionsFor(
  jsonSchema: Record<string, unknown>,
  known: ReadonlySet<string> = withOptions,
): Record<string, unknown> {
  const request = chatRequestSchema.parse({
    model: 'm',
    messages: [{ role: 'user', content: 'x' }],
    response_format: { type: 'json_schema', json_schema: { name: 'n', ...jsonSchema } },
  });
  return chatOptions(request, known);
}

describe('json_schema.strict in the OpenAI facade', () => {
  it('carries strict: false as the model’s strict_schema option', () => {
    expect(optionsFor({ schema: closable, strict: false })).toEqual({ strict_schema: false });
    expect(optionsFor({ schema: optional, strict: false })).toEqual({ strict_schema: false });
  });

  it('adds no option for strict: true or no strict (the plugin is strict whenever it can)', () => {
    expect(optionsFor({ schema: closable, strict: true })).toEqual({});
    expect(optionsFor({ schema: optional })).toEqual({});
    expect(optionsFor({ schema: optional, strict: null })).toEqual({});
  });

  it('drops strict: false for a model without the option, as it has no strict mode', () => {
    expect(optionsFor({ schema: closable, strict: false }, withoutStrictSchema)).toEqual({});
  });

  it('refuses strict: true on a schema that cannot be strict, naming the field', () => {
    for (const known of [withOptions, withoutStrictSchema]) {
      let refusal: unknown;
      try {
        optionsFor({ schema: optional, strict: true }, known);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(ChatMappingError);
      expect((refusal as ChatMappingError).param).toBe('response_format.json_schema.strict');
      expect((refusal as ChatMappingError).message).toMatch(/send strict: false/);
    }
  });
});

import type { JsonSchema } from '@llmq/core';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { strictSchemaFor } from './strict-schema.ts';

/**
 * The `response_format` asking for JSON that matches `schema` (OpenAI's structured outputs), in
 * strict mode when OpenAI can enforce it (`strictSchemaFor`: the schema, or a copy with objects
 * closed whose properties are all required); otherwise the schema as given, with `strict: false`.
 * The name is the one llm's OpenAI plugin sends.
 */
export function jsonSchemaResponseFormat(schema: JsonSchema): ResponseFormatJSONSchema {
  const strict = strictSchemaFor(schema);
  return {
    type: 'json_schema',
    json_schema: {
      name: 'output',
      schema: (strict ?? schema) as Record<string, unknown>,
      strict: strict !== undefined,
    },
  };
}

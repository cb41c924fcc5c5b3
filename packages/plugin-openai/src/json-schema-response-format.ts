import { type JsonSchema, OptionsError } from '@llmq/core';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { strictModeRequirements, strictSchemaFor } from './strict-schema.ts';

/**
 * The `response_format` asking for JSON that matches `schema` (OpenAI's structured outputs). By
 * default (`strict` undefined) in strict mode when OpenAI can enforce it (`strictSchemaFor`: the
 * schema, or a copy with objects closed whose properties are all required), otherwise the schema
 * as given with `strict: false`. `strict: false` (the `strict_schema` option) always sends the
 * schema as given, as a hint; `strict: true` refuses a schema strict mode cannot enforce, rather
 * than quietly sending it as a hint. The name is the one llm's OpenAI plugin sends.
 */
export function jsonSchemaResponseFormat(
  schema: JsonSchema,
  strict?: boolean,
): ResponseFormatJSONSchema {
  const strictSchema = strict === false ? undefined : strictSchemaFor(schema);
  if (strict === true && strictSchema === undefined) {
    const message = `Option 'strict_schema': the schema cannot be sent in strict mode (${strictModeRequirements}); set strict_schema to false to send it as a hint`;
    throw new OptionsError(message, [{ path: 'strict_schema', message }]);
  }
  return {
    type: 'json_schema',
    json_schema: {
      name: 'output',
      schema: (strictSchema ?? schema) as Record<string, unknown>,
      strict: strictSchema !== undefined,
    },
  };
}

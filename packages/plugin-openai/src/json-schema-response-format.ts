import type { JsonSchema } from '@llmq/core';
import type { ResponseFormatJSONSchema } from 'openai/resources/shared';
import { isStrictSchema } from './strict-schema.ts';

/**
 * The `response_format` asking for JSON that matches `schema` (OpenAI's structured outputs). The
 * schema goes as the very object given, and `strict` only when OpenAI can enforce it as it is.
 * The name is the one llm's OpenAI plugin sends.
 */
export function jsonSchemaResponseFormat(schema: JsonSchema): ResponseFormatJSONSchema {
  return {
    type: 'json_schema',
    json_schema: {
      name: 'output',
      schema: schema as Record<string, unknown>,
      strict: isStrictSchema(schema),
    },
  };
}

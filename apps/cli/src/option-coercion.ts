import type { ModelBody } from '@llmq/contracts';

interface PropertySchema {
  type?: string | string[];
  anyOf?: PropertySchema[];
}

/**
 * `-o KEY VALUE` strings turned into the types the model's options schema expects (integer,
 * number, boolean, array), as llm's pydantic coercion does; the server checks the result and
 * names whatever is still wrong.
 */
export function coerceOptions(
  model: ModelBody | undefined,
  pairs: ReadonlyArray<[string, string]>,
): Record<string, unknown> {
  const properties =
    (model?.options as { properties?: Record<string, PropertySchema> } | undefined)?.properties ??
    {};
  const options: Record<string, unknown> = {};
  for (const [key, value] of pairs) options[key] = coerce(value, properties[key]);
  return options;
}

function typesOf(schema: PropertySchema | undefined): string[] {
  if (!schema) return [];
  const own = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return [...own, ...(schema.anyOf ?? []).flatMap(typesOf)];
}

function coerce(value: string, schema: PropertySchema | undefined): unknown {
  const types = typesOf(schema);
  if (types.includes('integer') && /^-?\d+$/.test(value)) return Number(value);
  if (types.includes('number') && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  if (types.includes('boolean')) {
    if (/^(true|yes|1|on)$/i.test(value)) return true;
    if (/^(false|no|0|off)$/i.test(value)) return false;
  }
  if (types.includes('array') && value.trim().startsWith('[')) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

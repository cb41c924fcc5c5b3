export type OptionKind = 'integer' | 'number' | 'text' | 'boolean' | 'choice' | 'json';

/** One option of a model, as a form field: what the options' JSON Schema says about it. */
export interface OptionField {
  readonly name: string;
  readonly kind: OptionKind;
  readonly description: string | undefined;
  readonly required: boolean;
  readonly choices: readonly string[];
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
}

export type OptionValue =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly message: string };

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The fields of a model's options (GET /v1/models gives them as JSON Schema), in order. */
export function optionFields(schema: unknown): OptionField[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, property]) =>
    fieldOf(name, isSchema(property) ? property : {}, required.has(name)),
  );
}

function fieldOf(name: string, property: Schema, required: boolean): OptionField {
  const base = {
    name,
    description: typeof property.description === 'string' ? property.description : undefined,
    required,
    choices: [] as string[],
    minimum: typeof property.minimum === 'number' ? property.minimum : undefined,
    maximum: typeof property.maximum === 'number' ? property.maximum : undefined,
  };
  if (Array.isArray(property.enum) && property.enum.every((item) => typeof item === 'string')) {
    return { ...base, kind: 'choice', choices: property.enum as string[] };
  }
  switch (property.type) {
    case 'integer':
      return { ...base, kind: 'integer' };
    case 'number':
      return { ...base, kind: 'number' };
    case 'string':
      return { ...base, kind: 'text' };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    default:
      // Unions, arrays and objects: typed as JSON.
      return { ...base, kind: 'json' };
  }
}

/**
 * The value of a field from what was typed; `undefined` when left empty (the model's default).
 * Checked here as the schema says, so that most mistakes are named before anything is sent.
 */
export function optionValue(field: OptionField, raw: string): OptionValue {
  const text = raw.trim();
  if (text === '') {
    return field.required
      ? { ok: false, message: `${field.name} is required` }
      : { ok: true, value: undefined };
  }
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, message: `${field.name} must be a number` };
      if (field.kind === 'integer' && !Number.isInteger(value)) {
        return { ok: false, message: `${field.name} must be a whole number` };
      }
      if (field.minimum !== undefined && value < field.minimum) {
        return { ok: false, message: `${field.name} must be at least ${field.minimum}` };
      }
      if (field.maximum !== undefined && value > field.maximum) {
        return { ok: false, message: `${field.name} must be at most ${field.maximum}` };
      }
      return { ok: true, value };
    }
    case 'boolean':
      return { ok: true, value: text === 'true' };
    case 'choice':
      return field.choices.includes(text)
        ? { ok: true, value: text }
        : { ok: false, message: `${field.name} must be one of ${field.choices.join(', ')}` };
    case 'json':
      try {
        return { ok: true, value: JSON.parse(text) };
      } catch {
        return { ok: false, message: `${field.name} must be JSON, like "a" or ["a", "b"]` };
      }
    default:
      return { ok: true, value: text };
  }
}

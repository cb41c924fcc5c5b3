import type { ModelBody } from '@llmq/contracts';
import { element, uniqueId } from './element.ts';
import { type SchemaFields, schemaFieldValue } from './schema-field-value.ts';

export interface SchemaField {
  readonly element: HTMLElement;
  /** Enables the field for a model that supports schemas; else disables it and says why. */
  setModel(model: ModelBody | undefined): void;
  /** The schema fields to send, or undefined when there is none; `false` when it is invalid (marked). */
  read(): SchemaFields | undefined | false;
}

const usage =
  'Optional: the answer as JSON matching this. JSON Schema, a stored schema id, or fields like “vendor, date, total float: the amount due”.';

/** A schema for the answer: a textarea (JSON or llm's concise syntax) and a “many” checkbox. */
export function createSchemaField(models: readonly ModelBody[]): SchemaField {
  const id = uniqueId('schema');
  const text = element('textarea', {
    id,
    name: 'schema',
    rows: 2,
    spellcheck: 'false',
    'aria-describedby': `${id}-hint ${id}-error`,
  });
  const multi = element('input', { type: 'checkbox', name: 'schema_multi', id: `${id}-multi` });
  const hint = element('p', { id: `${id}-hint`, class: 'hint' }, usage);
  const error = element('p', { id: `${id}-error`, class: 'field-error', role: 'alert' });
  const supporting = models.filter((model) => model.supports_schema).map((model) => model.id);
  const field = element(
    'div',
    { class: 'field schema-field' },
    element('label', { for: id }, 'Schema'),
    text,
    element(
      'label',
      { class: 'checkbox', for: multi.id },
      multi,
      ' Many: a list of matches, as {"items": […]}',
    ),
    hint,
    error,
  );
  return {
    element: field,
    setModel: (model) => {
      const supported = model?.supports_schema ?? false;
      text.disabled = !supported;
      multi.disabled = !supported;
      field.dataset.supported = String(supported);
      hint.textContent = supported
        ? usage
        : `${model?.id ?? 'This model'} cannot answer with a schema.${supporting.length ? ` Models that can: ${supporting.join(', ')}.` : ''}`;
    },
    read: () => {
      if (text.disabled) return undefined;
      const result = schemaFieldValue(text.value, multi.checked);
      if (result.ok) {
        error.textContent = '';
        text.removeAttribute('aria-invalid');
        return result.value;
      }
      error.textContent = result.message;
      text.setAttribute('aria-invalid', 'true');
      text.focus();
      return false;
    },
  };
}

import { element, uniqueId } from './element.ts';
import { type OptionField, optionFields, optionValue } from './option-fields.ts';

export interface OptionsForm {
  readonly element: HTMLFieldSetElement;
  /** The options typed so far, or undefined when a field is invalid (it is then marked). */
  read(): Record<string, unknown> | undefined;
}

/** A form generated from a model's options JSON Schema; empty fields keep the model's defaults. */
export function createOptionsForm(schema: unknown): OptionsForm {
  const fields = optionFields(schema);
  const controls = new Map<
    OptionField,
    { control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement; error: HTMLElement }
  >();
  const fieldset = element(
    'fieldset',
    { class: 'options' },
    element('legend', {}, 'Options'),
    fields.length === 0 ? element('p', { class: 'muted' }, 'This model has no options.') : null,
  );
  for (const field of fields) {
    const id = uniqueId(`option-${field.name}`);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const control = controlFor(field, id);
    control.setAttribute('aria-describedby', `${hintId} ${errorId}`);
    const error = element('p', { id: errorId, class: 'field-error' });
    controls.set(field, { control, error });
    fieldset.append(
      element(
        'div',
        { class: 'field' },
        element('label', { for: id }, field.name, field.required ? ' (required)' : ''),
        control,
        element('p', { id: hintId, class: 'hint' }, hintOf(field)),
        error,
      ),
    );
  }
  return {
    element: fieldset,
    read: () => {
      const options: Record<string, unknown> = {};
      let firstInvalid: HTMLElement | undefined;
      for (const [field, { control, error }] of controls) {
        const result = optionValue(field, control.value);
        if (result.ok) {
          control.removeAttribute('aria-invalid');
          error.textContent = '';
          if (result.value !== undefined) options[field.name] = result.value;
        } else {
          control.setAttribute('aria-invalid', 'true');
          error.textContent = result.message;
          firstInvalid ??= control;
        }
      }
      if (firstInvalid) {
        firstInvalid.focus();
        return undefined;
      }
      return options;
    },
  };
}

function controlFor(field: OptionField, id: string) {
  const name = `option-${field.name}`;
  if (field.kind === 'choice' || field.kind === 'boolean') {
    const choices = field.kind === 'boolean' ? ['true', 'false'] : field.choices;
    return element(
      'select',
      { id, name },
      element('option', { value: '' }, 'Default'),
      choices.map((choice) => element('option', { value: choice }, choice)),
    );
  }
  if (field.kind === 'json') return element('textarea', { id, name, rows: 2, spellcheck: 'false' });
  const numeric = field.kind === 'integer' || field.kind === 'number';
  return element('input', {
    id,
    name,
    type: 'text',
    inputmode: numeric ? (field.kind === 'integer' ? 'numeric' : 'decimal') : undefined,
    autocomplete: 'off',
  });
}

function hintOf(field: OptionField): string {
  const parts = [field.description ?? ''];
  if (field.kind === 'integer') parts.push('A whole number.');
  if (field.kind === 'json') parts.push('As JSON.');
  const bounded = (value: number | undefined) =>
    value !== undefined && Math.abs(value) < Number.MAX_SAFE_INTEGER;
  if (bounded(field.minimum) && bounded(field.maximum)) {
    parts.push(`From ${field.minimum} to ${field.maximum}.`);
  } else if (bounded(field.minimum)) {
    parts.push(`At least ${field.minimum}.`);
  }
  return parts.filter(Boolean).join(' ');
}

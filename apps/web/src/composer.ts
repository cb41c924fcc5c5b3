import type { ModelBody, PromptAccepted } from '@llmq/contracts';
import { api } from './api-client.ts';
import { createAttachmentPicker } from './attachment-picker.ts';
import { element, uniqueId } from './element.ts';
import { createModelSelect } from './model-select.ts';
import { createOptionsForm, type OptionsForm } from './options-form.ts';
import { createSchemaField } from './schema-field.ts';

export interface ComposerOptions {
  readonly models: readonly ModelBody[];
  /** Continue this conversation: the model is the conversation's. */
  readonly conversation?: { readonly id: string; readonly model: string };
  /** Called once the prompt is queued. */
  onSent(accepted: PromptAccepted): void;
}

export interface Composer {
  readonly element: HTMLFormElement;
}

function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const id = control.id || uniqueId('field');
  control.id = id;
  const hintId = `${id}-hint`;
  if (hint) control.setAttribute('aria-describedby', hintId);
  return element(
    'div',
    { class: 'field' },
    element('label', { for: id }, label),
    control,
    hint ? element('p', { id: hintId, class: 'hint' }, hint) : null,
  );
}

/** The form that sends a prompt: model, system, prompt, attachments and the model's options. */
export function createComposer(options: ComposerOptions): Composer {
  const modelSelect = createModelSelect(options.models, options.conversation?.model);
  const system = element('textarea', { name: 'system', rows: 2 });
  const prompt = element('textarea', { name: 'prompt', rows: 5, required: false });
  const picker = createAttachmentPicker();
  const optionsSlot = element('div', { class: 'options-slot' });
  const schemaField = createSchemaField(options.models);
  let optionsForm: OptionsForm | undefined;
  const showOptions = () => {
    const model = modelSelect.chosen();
    optionsForm = createOptionsForm(model?.options ?? {});
    optionsSlot.replaceChildren(optionsForm.element);
    schemaField.setModel(model);
  };
  modelSelect.element.addEventListener('change', showOptions);
  showOptions();

  const send = element(
    'button',
    { type: 'submit' },
    options.conversation ? 'Send next turn' : 'Send',
  );
  const error = element('p', { class: 'field-error', role: 'alert' });
  const form = element(
    'form',
    { class: 'composer', 'aria-label': options.conversation ? 'Next turn' : 'New prompt' },
    field('Model', modelSelect.element, modelSelect.hint),
    options.conversation
      ? null
      : field('System prompt', system, 'Optional instructions for the model.'),
    field('Prompt', prompt, 'Ctrl+Enter (⌘+Enter) sends.'),
    picker.element,
    schemaField.element,
    element(
      'details',
      { class: 'options-details' },
      element('summary', {}, 'Model options'),
      optionsSlot,
    ),
    element('div', { class: 'actions' }, send),
    error,
  );
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    // Said here rather than by a 422: a continued conversation may be on a model without its key.
    const refusal = modelSelect.refusal();
    if (refusal) {
      error.textContent = refusal;
      return;
    }
    const values = optionsForm?.read();
    if (!values) {
      const details = form.querySelector('details');
      if (details) details.open = true;
      // Read again now that the fields are shown: focus cannot move into a closed <details>,
      // and the first invalid field should have it.
      optionsForm?.read();
      return;
    }
    const schema = schemaField.read();
    if (schema === false) return;
    send.disabled = true;
    send.setAttribute('aria-busy', 'true');
    try {
      const text = prompt.value;
      const attachments = await picker.attachments();
      const uploaded = attachments.uploaded;
      const accepted = await api<PromptAccepted>('/v1/prompts', {
        json: {
          model: modelSelect.element.value,
          prompt: text,
          ...(system.value.trim() && !options.conversation ? { system: system.value } : {}),
          ...(uploaded.length ? { attachments: uploaded.map(({ id }) => ({ id })) } : {}),
          ...(Object.keys(values).length ? { options: values } : {}),
          ...schema,
          ...(options.conversation ? { conversation_id: options.conversation.id } : {}),
        },
      });
      // What was typed or picked while this was being sent is kept for the next prompt.
      if (prompt.value === text) prompt.value = '';
      attachments.remove();
      options.onSent(accepted);
    } catch (failure) {
      error.textContent = (failure as Error).message;
    } finally {
      send.disabled = false;
      send.removeAttribute('aria-busy');
    }
  });
  return { element: form };
}

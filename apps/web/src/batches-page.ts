import type { BatchBody, ModelBody } from '@llmq/contracts';
import { announce } from './announce.ts';
import { api } from './api-client.ts';
import { element, uniqueId } from './element.ts';
import { createFileDropZone } from './file-drop-zone.ts';
import { formatBytes, formatTime } from './format.ts';
import { loadModels } from './load-models.ts';
import { createModelSelect } from './model-select.ts';
import { createOptionsForm, type OptionsForm } from './options-form.ts';
import { navigate, type PageRenderer } from './router.ts';
import { createSchemaField } from './schema-field.ts';
import { uploadFiles } from './upload-files.ts';

function labelled(label: string, control: HTMLElement, hint?: string): HTMLElement {
  control.id = uniqueId('batch-field');
  if (hint) control.setAttribute('aria-describedby', `${control.id}-hint`);
  return element(
    'div',
    { class: 'field' },
    element('label', { for: control.id }, label),
    control,
    hint ? element('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null,
  );
}

/** Start a batch over dropped files (one item per file, or a JSONL of items), and list batches. */
export const batchesPage: PageRenderer = async (_parameters, signal) => {
  const [models, page] = await Promise.all([
    loadModels(),
    api<{ data: BatchBody[] }>('/v1/batches?limit=50', { signal }),
  ]);
  return {
    title: 'Batches',
    content: element(
      'section',
      {},
      element('h1', {}, 'Batches'),
      newBatchForm(models),
      element('h2', {}, 'Recent batches'),
      page.data.length === 0
        ? element('p', { class: 'muted' }, 'No batches yet.')
        : element(
            'ol',
            { class: 'results', 'aria-label': 'Batches' },
            page.data.map((batch) =>
              element(
                'li',
                {},
                element('a', { href: `/batches/${batch.id}` }, batch.id),
                element(
                  'span',
                  { class: 'muted' },
                  ` · ${batch.model} · `,
                  element('span', { class: `status status-${batch.status}` }, batch.status),
                  ` · ${batch.counts.succeeded + batch.counts.failed + batch.counts.cancelled} of ${batch.counts.total} done · ${formatTime(batch.created_at)}`,
                ),
              ),
            ),
          ),
    ),
  };
};

function newBatchForm(models: readonly ModelBody[]): HTMLElement {
  let files: File[] = [];
  const model = createModelSelect(models);
  const prompt = element('textarea', { name: 'prompt', rows: 3 });
  const system = element('textarea', { name: 'system', rows: 2 });
  const optionsSlot = element('div');
  const schemaField = createSchemaField(models);
  let optionsForm: OptionsForm | undefined;
  const showOptions = () => {
    const chosen = model.chosen();
    optionsForm = createOptionsForm(chosen?.options ?? {});
    optionsSlot.replaceChildren(optionsForm.element);
    schemaField.setModel(chosen);
  };
  model.element.addEventListener('change', showOptions);
  showOptions();
  const chosen = element('p', { class: 'chosen-files', 'aria-live': 'polite' }, 'No files yet.');
  const progress = element('progress', {
    max: 100,
    value: 0,
    hidden: true,
    'aria-label': 'Upload',
  });
  const error = element('p', { class: 'field-error', role: 'alert' });
  const start = element('button', { type: 'submit', disabled: true }, 'Start the batch');
  const zone = createFileDropZone({
    label: 'Choose files',
    hint: 'Drop files here: each becomes one item with the prompt below. Or drop one .jsonl file of items.',
    multiple: true,
    onFiles: (dropped) => {
      files = dropped;
      const bytes = dropped.reduce((sum, file) => sum + file.size, 0);
      chosen.textContent = isJsonl(dropped)
        ? `${dropped[0]?.name}: a JSONL file of items (${formatBytes(bytes)}).`
        : `${dropped.length} file${dropped.length === 1 ? '' : 's'} (${formatBytes(bytes)}), one item each.`;
      start.disabled = false;
    },
  });
  const form = element(
    'form',
    { class: 'new-batch', 'aria-label': 'New batch' },
    element('h2', {}, 'New batch'),
    zone,
    chosen,
    labelled('Model', model.element, model.hint),
    labelled('Prompt', prompt, 'The prompt of every item (a JSONL item may give its own).'),
    labelled('System prompt', system),
    schemaField.element,
    element(
      'details',
      { class: 'options-details' },
      element('summary', {}, 'Model options'),
      optionsSlot,
    ),
    progress,
    element('div', { class: 'actions' }, start),
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    // Said here rather than by a 422, when no model can run (none has its key).
    const refusal = model.refusal();
    if (refusal) {
      error.textContent = refusal;
      return;
    }
    const options = optionsForm?.read();
    const schema = schemaField.read();
    if (!options || schema === false || files.length === 0) return;
    start.disabled = true;
    try {
      const template = {
        model: model.element.value,
        ...(prompt.value.trim() ? { prompt: prompt.value } : {}),
        ...(system.value.trim() ? { system: system.value } : {}),
        ...(Object.keys(options).length ? { options } : {}),
        ...schema,
      };
      let batch: BatchBody;
      if (isJsonl(files)) {
        // Form fields are text: options, a JSON schema and schema_multi go as JSON.
        const body = new FormData();
        for (const [name, value] of Object.entries(template)) {
          body.append(name, typeof value === 'string' ? value : JSON.stringify(value));
        }
        body.append('file', files[0] as File);
        batch = await api<BatchBody>('/v1/batches', { body });
      } else {
        progress.hidden = false;
        const uploaded = await uploadFiles(files, ({ loaded, total }) => {
          progress.value = total === 0 ? 100 : Math.round((loaded / total) * 100);
        });
        batch = await api<BatchBody>('/v1/batches', {
          json: {
            ...template,
            items: uploaded.map((attachment, index) => ({
              custom_id: files[index]?.name ?? `item-${index}`,
              attachments: [{ id: attachment.id }],
            })),
          },
        });
      }
      announce('Batch started');
      navigate(`/batches/${batch.id}`);
    } catch (failure) {
      error.textContent = (failure as Error).message;
      start.disabled = false;
    }
  });
  return form;
}

function isJsonl(files: readonly File[]): boolean {
  return files.length === 1 && /\.jsonl$/i.test(files[0]?.name ?? '');
}

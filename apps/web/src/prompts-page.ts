import type { PromptSummaryBody } from '@llmq/contracts';
import { api } from './api-client.ts';
import { element, uniqueId } from './element.ts';
import { excerpt, formatTime } from './format.ts';
import { linkedAbortController } from './linked-abort-controller.ts';
import { loadModels } from './load-models.ts';
import type { PageRenderer } from './router.ts';

const statuses = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];

function labelled(label: string, control: HTMLElement): HTMLElement {
  control.id = uniqueId('filter');
  return element('div', { class: 'field' }, element('label', { for: control.id }, label), control);
}

/** Recent prompts, newest first: full-text search, filters by model and status, more on demand. */
export const promptsPage: PageRenderer = async (_parameters, signal) => {
  const models = await loadModels();
  const query = new URLSearchParams(location.search);
  const search = element('input', { type: 'search', name: 'q', value: query.get('q') ?? '' });
  const model = element(
    'select',
    { name: 'model' },
    element('option', { value: '' }, 'Any model'),
    models.map((item) => element('option', { value: item.id }, item.id)),
  );
  model.value = query.get('model') ?? '';
  const status = element(
    'select',
    { name: 'status' },
    element('option', { value: '' }, 'Any status'),
    statuses.map((item) => element('option', { value: item }, item)),
  );
  status.value = query.get('status') ?? '';
  const results = element('ol', { class: 'results', 'aria-label': 'Prompts' });
  const summary = element('p', { class: 'muted', 'aria-live': 'polite' });
  const more = element('button', { type: 'button', class: 'secondary', hidden: true }, 'Show more');
  let cursor: string | null = null;
  let loading: AbortController | undefined;

  /**
   * Show the first page of results, or append the next. The newest load wins: searches can
   * finish out of order, and an older one would overwrite the newer results.
   */
  async function load(append: boolean) {
    loading?.abort();
    const controller = linkedAbortController(signal);
    loading = controller;
    // The next page of a list being replaced would be appended to the wrong results.
    if (!append) more.hidden = true;
    const parameters = new URLSearchParams({ limit: '50' });
    if (search.value.trim()) parameters.set('q', search.value.trim());
    if (model.value) parameters.set('model', model.value);
    if (status.value) parameters.set('status', status.value);
    if (append && cursor) parameters.set('cursor', cursor);
    const page = await api<{ data: PromptSummaryBody[]; next_cursor: string | null }>(
      `/v1/prompts?${parameters}`,
      { signal: controller.signal },
    );
    if (controller.signal.aborted) return;
    cursor = page.next_cursor;
    const rows = page.data.map((prompt) =>
      element(
        'li',
        {},
        element('a', { href: `/prompts/${prompt.id}` }, excerpt(prompt.prompt)),
        element(
          'span',
          { class: 'muted' },
          ` · ${prompt.model} · `,
          element('span', { class: `status status-${prompt.status}` }, prompt.status),
          ` · ${formatTime(prompt.created_at)}`,
        ),
      ),
    );
    if (append) results.append(...rows);
    else results.replaceChildren(...rows);
    more.hidden = cursor === null;
    const count = results.children.length;
    summary.textContent =
      count === 0 ? 'No prompts match.' : `${count} prompt${count === 1 ? '' : 's'} shown.`;
  }

  /** A load's failure is told in the summary, unless the load was overtaken or the page left. */
  async function showing(loaded: Promise<void>) {
    try {
      await loaded;
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      summary.textContent = (error as Error).message;
    }
  }

  const form = element(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Search prompts' },
    labelled('Search', search),
    labelled('Model', model),
    labelled('Status', status),
    element('div', { class: 'actions' }, element('button', { type: 'submit' }, 'Search')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const state = new URLSearchParams();
    if (search.value.trim()) state.set('q', search.value.trim());
    if (model.value) state.set('model', model.value);
    if (status.value) state.set('status', status.value);
    // The search is kept in the address, so that back and reload show the same list.
    history.replaceState(null, '', `/prompts${state.size ? `?${state}` : ''}`);
    void showing(load(false));
  });
  more.addEventListener('click', () => void showing(load(true)));
  await load(false);
  return {
    title: 'Prompts',
    content: element('section', {}, element('h1', {}, 'Prompts'), form, summary, results, more),
  };
};

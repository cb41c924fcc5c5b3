import type { PromptSummaryBody } from '@llmq/contracts';
import { api } from './api-client.ts';
import { element, uniqueId } from './element.ts';
import { formatTime } from './format.ts';
import { linkedAbortController } from './linked-abort-controller.ts';
import { recentPromptLimit, recentPromptRows } from './recent-prompt-rows.ts';

export interface RecentPrompts {
  readonly element: HTMLElement;
  /** Load the list again, marking `shownId`'s prompt; a newer call wins over an older one. */
  refresh(shownId?: string): Promise<void>;
}

/** The newest prompts, each linking to its page: the playground's right half. */
export function createRecentPrompts(signal: AbortSignal): RecentPrompts {
  const headingId = uniqueId('recent-prompts');
  const list = element('ol', { class: 'results recent-prompts', 'aria-labelledby': headingId });
  const summary = element('p', { class: 'muted', 'aria-live': 'polite' });
  let loading: AbortController | undefined;

  async function refresh(shownId?: string): Promise<void> {
    loading?.abort();
    const controller = linkedAbortController(signal);
    loading = controller;
    try {
      const page = await api<{ data: PromptSummaryBody[] }>(
        `/v1/prompts?limit=${recentPromptLimit}`,
        { signal: controller.signal },
      );
      if (controller.signal.aborted) return;
      const rows = recentPromptRows(page.data, shownId);
      list.replaceChildren(
        ...rows.map((row) =>
          element(
            'li',
            {},
            element(
              'a',
              { href: row.href, 'aria-current': row.current ? 'true' : undefined },
              row.label,
            ),
            element(
              'span',
              { class: 'muted' },
              ` · ${row.model} · `,
              element('span', { class: `status status-${row.status}` }, row.status),
              ` · ${formatTime(row.createdAt)}`,
            ),
          ),
        ),
      );
      summary.textContent = rows.length === 0 ? 'No prompts yet: send one.' : '';
    } catch (failure) {
      // Overtaken by a newer refresh, or the page was left: nothing to tell.
      if (failure instanceof DOMException && failure.name === 'AbortError') return;
      summary.textContent = (failure as Error).message;
    }
  }

  return {
    element: element(
      'section',
      { class: 'recent', 'aria-labelledby': headingId },
      element('h2', { id: headingId }, 'Recent prompts'),
      summary,
      list,
      element('p', {}, element('a', { href: '/prompts' }, 'All prompts')),
    ),
    refresh,
  };
}

import { createAnswerView } from './answer-view.ts';
import { createComposer } from './composer.ts';
import { element } from './element.ts';
import { linkedAbortController } from './linked-abort-controller.ts';
import { loadModels } from './load-models.ts';
import { createRecentPrompts } from './recent-prompts.ts';
import type { PageRenderer } from './router.ts';

/**
 * Pick a model, write a prompt, attach files, send, and watch the answer stream; beside it, the
 * recent prompts, updated when one is sent and when its answer ends.
 */
export const playgroundPage: PageRenderer = async (_parameters, signal) => {
  const models = await loadModels();
  const answers = element('div', { class: 'answers' });
  const recent = createRecentPrompts(signal);
  /** The prompt whose answer is shown, marked in the recent prompts. */
  let shownId: string | undefined;
  let shown: AbortController | undefined;
  const composer = createComposer({
    models,
    onSent: (accepted) => {
      // Only the newest answer is shown, so only its stream stays open: Chromium allows six
      // connections to an origin over HTTP/1.1, and hidden streams would use them all up.
      shown?.abort();
      shown = linkedAbortController(signal);
      const view = createAnswerView(accepted.id, shown.signal);
      const links = element(
        'p',
        { class: 'answer-links' },
        element('a', { href: `/prompts/${accepted.id}` }, 'Prompt details'),
        accepted.conversation_id
          ? [
              ' · ',
              element(
                'a',
                { href: `/conversations/${accepted.conversation_id}` },
                'Continue the conversation',
              ),
            ]
          : null,
      );
      answers.replaceChildren(view.element, links);
      view.element.querySelector<HTMLElement>('.answer-text')?.focus();
      shownId = accepted.id;
      void recent.refresh(shownId);
      // Its status in the list follows the answer's end; an answer replaced ends too, early.
      void view.finished.then(() => {
        if (!signal.aborted) void recent.refresh(shownId);
      });
    },
  });
  await recent.refresh();
  return {
    title: 'Playground',
    content: element(
      'section',
      { class: 'playground' },
      element('h1', {}, 'Playground'),
      element(
        'div',
        { class: 'two-columns' },
        composer.element,
        element('div', { class: 'playground-side' }, answers, recent.element),
      ),
    ),
  };
};

import { createAnswerView } from './answer-view.ts';
import { createComposer } from './composer.ts';
import { element } from './element.ts';
import { linkedAbortController } from './linked-abort-controller.ts';
import { loadModels } from './load-models.ts';
import type { PageRenderer } from './router.ts';

/** Pick a model, write a prompt, attach files, send, and watch the answer stream. */
export const playgroundPage: PageRenderer = async (_parameters, signal) => {
  const models = await loadModels();
  const answers = element('div', { class: 'answers' });
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
    },
  });
  return {
    title: 'Playground',
    content: element(
      'section',
      { class: 'playground' },
      element('h1', {}, 'Playground'),
      element('div', { class: 'two-columns' }, composer.element, answers),
    ),
  };
};

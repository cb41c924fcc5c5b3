import { createAnswerView } from './answer-view.ts';
import { createComposer } from './composer.ts';
import { element } from './element.ts';
import { loadModels } from './models.ts';
import type { PageRenderer } from './router.ts';

/** Pick a model, write a prompt, attach files, send, and watch the answer stream. */
export const playgroundPage: PageRenderer = async (_parameters, signal) => {
  const models = await loadModels();
  const answers = element('div', { class: 'answers' });
  const composer = createComposer({
    models,
    onSent: (accepted) => {
      const view = createAnswerView(accepted.id, signal);
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

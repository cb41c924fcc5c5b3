import type { ConversationBody, PromptBody } from '@llmq/contracts';
import { createAnswerView } from './answer-view.ts';
import { api } from './api-client.ts';
import { attachmentList } from './attachment-list.ts';
import { createComposer } from './composer.ts';
import { element } from './element.ts';
import { loadModels } from './load-models.ts';
import type { PageRenderer } from './router.ts';

/** A conversation's turns in order, and a form to send the next one. */
export const conversationPage: PageRenderer = async ([id = ''], signal) => {
  const [conversation, models] = await Promise.all([
    api<ConversationBody>(`/v1/conversations/${encodeURIComponent(id)}`, { signal }),
    loadModels(),
  ]);
  const turns = element('ol', { class: 'turns', 'aria-label': 'Turns' });
  turns.append(...conversation.turns.map((turn) => turnItem(turn, signal)));
  const composer = createComposer({
    models,
    conversation: { id: conversation.id, model: conversation.model },
    onSent: (accepted) => {
      const answer = createAnswerView(accepted.id, signal);
      const item = element(
        'li',
        { class: 'turn' },
        element('p', { class: 'muted' }, 'Your turn, queued'),
        answer.element,
      );
      turns.append(item);
      // Once the turn has ended, show it as stored: prompt, attachments and answer.
      void answer.finished
        .then(async () => {
          if (signal.aborted) return;
          const stored = await api<PromptBody>(`/v1/prompts/${accepted.id}`, { signal });
          item.replaceWith(turnItem(stored, signal));
        })
        .catch(() => {
          // Left the page, or the server is gone: the streamed turn stays as it was shown.
        });
    },
  });
  return {
    title: conversation.name ?? 'Conversation',
    content: element(
      'section',
      { class: 'conversation' },
      element('h1', {}, conversation.name ?? 'Conversation'),
      element(
        'p',
        { class: 'muted' },
        `${conversation.model} · `,
        element('span', { class: 'mono' }, conversation.id),
      ),
      turns,
      element('h2', {}, 'Next turn'),
      composer.element,
    ),
  };
};

function turnItem(turn: PromptBody, signal: AbortSignal): HTMLElement {
  return element(
    'li',
    { class: 'turn', 'data-prompt-id': turn.id },
    element('h3', { class: 'visually-hidden' }, 'Prompt'),
    element('pre', { class: 'prompt-text' }, turn.prompt || '(no text)'),
    turn.attachments.length ? attachmentList(turn.attachments, signal) : null,
    element('h3', { class: 'visually-hidden' }, 'Answer'),
    element(
      'pre',
      { class: 'answer-text', 'data-phase': turn.status },
      turn.text ?? (turn.error ? `${turn.error.kind}: ${turn.error.message}` : turn.status),
    ),
    element('a', { href: `/prompts/${turn.id}` }, 'Details'),
  );
}

import type { AttachmentBody, PromptBody } from '@llmq/contracts';
import { createAnswerView } from './answer-view.ts';
import { api, apiResponse } from './api-client.ts';
import { element } from './element.ts';
import { formatBytes, formatDuration, formatTime } from './format.ts';
import type { PageRenderer } from './router.ts';

/** One prompt: its text, answer, usage, timings and attachments (images previewed). */
export const promptPage: PageRenderer = async ([id = ''], signal) => {
  const prompt = await api<PromptBody>(`/v1/prompts/${encodeURIComponent(id)}`, { signal });
  const running = prompt.status === 'queued' || prompt.status === 'running';
  const answer = running
    ? createAnswerView(prompt.id, signal).element
    : element(
        'section',
        { class: 'answer', 'aria-label': 'Answer', 'data-phase': prompt.status },
        element(
          'pre',
          { class: 'answer-text', tabindex: 0, 'aria-label': 'Answer' },
          prompt.text ?? '',
        ),
        prompt.error
          ? element('p', { class: 'field-error' }, `${prompt.error.kind}: ${prompt.error.message}`)
          : null,
      );
  const facts: Array<[string, string | Node]> = [
    ['Status', prompt.status],
    ['Model', prompt.resolved_model ?? prompt.model],
    ['Tokens in', String(prompt.usage?.input ?? '—')],
    ['Tokens out', String(prompt.usage?.output ?? '—')],
    ['Duration', formatDuration(prompt.duration_ms)],
    ['Attempts', String(prompt.attempts)],
    ['Created', formatTime(prompt.created_at)],
    ['Started', formatTime(prompt.started_at)],
    ['Completed', formatTime(prompt.completed_at)],
  ];
  if (Object.keys(prompt.options).length) facts.push(['Options', JSON.stringify(prompt.options)]);
  if (prompt.conversation_id) {
    facts.push([
      'Conversation',
      element('a', { href: `/conversations/${prompt.conversation_id}` }, 'Open the conversation'),
    ]);
  }
  if (prompt.batch_id) {
    facts.push(['Batch', element('a', { href: `/batches/${prompt.batch_id}` }, prompt.batch_id)]);
  }
  return {
    title: `Prompt ${prompt.id}`,
    content: element(
      'section',
      { class: 'prompt-page' },
      element('h1', {}, 'Prompt'),
      element('p', { class: 'muted mono' }, prompt.id),
      element(
        'dl',
        { class: 'facts' },
        facts.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]),
      ),
      prompt.system
        ? [element('h2', {}, 'System'), element('pre', { class: 'prompt-text' }, prompt.system)]
        : null,
      element('h2', {}, 'Prompt'),
      element('pre', { class: 'prompt-text' }, prompt.prompt || '(no text)'),
      prompt.attachments.length
        ? [element('h2', {}, 'Attachments'), attachmentList(prompt.attachments, signal)]
        : null,
      element('h2', {}, 'Answer'),
      answer,
    ),
  };
};

/** Attachments with a preview of each image (fetched with the key: an <img src> sends none). */
export function attachmentList(
  attachments: readonly AttachmentBody[],
  signal: AbortSignal,
): HTMLElement {
  const urls: string[] = [];
  signal.addEventListener('abort', () => {
    for (const url of urls) URL.revokeObjectURL(url);
  });
  return element(
    'ul',
    { class: 'attachment-previews' },
    attachments.map((attachment, index) => {
      const name = `Attachment ${index + 1}: ${attachment.type}, ${formatBytes(attachment.size)}`;
      const item = element('li', {}, element('span', {}, name));
      void apiResponse(`/v1/attachments/${attachment.id}/content`, { signal })
        .then((response) => response.blob())
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          urls.push(url);
          if (attachment.type.startsWith('image/')) {
            item.prepend(element('img', { src: url, alt: name, class: 'preview' }));
          }
          item.append(
            ' ',
            element('a', { href: url, download: `attachment-${index + 1}` }, 'Download'),
          );
        })
        .catch(() => item.append(element('span', { class: 'field-error' }, ' (unavailable)')));
      return item;
    }),
  );
}

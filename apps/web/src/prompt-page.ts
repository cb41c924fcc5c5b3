import type { PromptBody } from '@llmq/contracts';
import { createAnswerPartsView } from './answer-parts-view.ts';
import { createAnswerView } from './answer-view.ts';
import { api } from './api-client.ts';
import { attachmentList } from './attachment-list.ts';
import { element } from './element.ts';
import { formatDuration, formatTime } from './format.ts';
import { formatUsd } from './format-usd.ts';
import { createReasoningDetails } from './reasoning-details.ts';
import type { PageRenderer } from './router.ts';
import { loadChainSteps, storedAnswerParts } from './stored-answer-parts.ts';

/** One prompt: its text, answer, usage, timings and attachments (images previewed). */
export const promptPage: PageRenderer = async ([id = ''], signal) => {
  const prompt = await api<PromptBody>(`/v1/prompts/${encodeURIComponent(id)}`, { signal });
  const running = prompt.status === 'queued' || prompt.status === 'running';
  let facts = factList(prompt);
  const streamed = running ? createAnswerView(prompt.id, signal) : undefined;
  // Status, usage and timings are known once the prompt has ended: show them as stored.
  void streamed?.finished
    .then(async () => {
      if (signal.aborted) return;
      const stored = await api<PromptBody>(`/v1/prompts/${prompt.id}`, { signal });
      const updated = factList(stored);
      facts.replaceWith(updated);
      facts = updated;
    })
    .catch(() => {
      // Left the page, or the server is gone: the facts shown stay as they were.
    });
  const answer = streamed ? streamed.element : await storedAnswer(prompt, signal);
  return {
    title: `Prompt ${prompt.id}`,
    content: element(
      'section',
      { class: 'prompt-page' },
      element('h1', {}, 'Prompt'),
      element('p', { class: 'muted mono' }, prompt.id),
      facts,
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

/** An ended prompt's answer as stored: its chain's text and tool runs, or its data. */
async function storedAnswer(prompt: PromptBody, signal: AbortSignal): Promise<HTMLElement> {
  const hasData = prompt.data !== null && prompt.data !== undefined;
  const parts = createAnswerPartsView();
  parts.show(storedAnswerParts(await loadChainSteps(prompt, signal)), hasData);
  return element(
    'section',
    { class: 'answer', 'aria-label': 'Answer', 'data-phase': prompt.status },
    createReasoningDetails(prompt.reasoning ?? '').element,
    parts.element,
    // A schema's answer is shown as its validated data, indented, in place of the raw JSON.
    hasData
      ? element(
          'pre',
          { class: 'answer-data', tabindex: 0, 'aria-label': 'Data' },
          JSON.stringify(prompt.data, null, 2),
        )
      : null,
    prompt.error
      ? element('p', { class: 'field-error' }, `${prompt.error.kind}: ${prompt.error.message}`)
      : null,
  );
}

/** Which model call of its chain a prompt is, linking a later step to the chain's first. */
function chainFact(id: string, chain: NonNullable<PromptBody['chain']>): string | Node {
  const limit = chain.limit === null ? '' : ` (limit ${chain.limit})`;
  if (chain.id === id) {
    const steps = chain.steps?.length ?? 1;
    return `${steps} model call${steps === 1 ? '' : 's'}${limit}`;
  }
  return element(
    'span',
    {},
    `Step ${chain.step}${limit} of `,
    element('a', { href: `/prompts/${chain.id}` }, 'the chain’s first prompt'),
  );
}

function factList(prompt: PromptBody): HTMLElement {
  const facts: Array<[string, string | Node]> = [
    ['Status', prompt.status],
    ['Model', prompt.resolved_model ?? prompt.model],
    ['Tokens in', String(prompt.usage?.input ?? '—')],
    ['Tokens out', String(prompt.usage?.output ?? '—')],
    ['Cost', prompt.cost_usd === null ? '—' : formatUsd(prompt.cost_usd)],
    ['Duration', formatDuration(prompt.duration_ms)],
    ['Attempts', String(prompt.attempts)],
    ['Created', formatTime(prompt.created_at)],
    ['Started', formatTime(prompt.started_at)],
    ['Completed', formatTime(prompt.completed_at)],
  ];
  if (Object.keys(prompt.options).length) facts.push(['Options', JSON.stringify(prompt.options)]);
  if (prompt.schema_id)
    facts.push(['Schema', element('span', { class: 'mono' }, prompt.schema_id)]);
  if (prompt.tools?.length) {
    facts.push(['Tools', prompt.tools.map((tool) => tool.name).join(', ')]);
  }
  if (prompt.chain) facts.push(['Chain', chainFact(prompt.id, prompt.chain)]);
  if (prompt.conversation_id) {
    facts.push([
      'Conversation',
      element('a', { href: `/conversations/${prompt.conversation_id}` }, 'Open the conversation'),
    ]);
  }
  if (prompt.batch_id) {
    facts.push(['Batch', element('a', { href: `/batches/${prompt.batch_id}` }, prompt.batch_id)]);
  }
  return element(
    'dl',
    { class: 'facts' },
    facts.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]),
  );
}

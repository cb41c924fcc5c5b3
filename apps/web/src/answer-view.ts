import type { PromptEvent } from '@llmq/contracts';
import { announce } from './announce.ts';
import { createAnswerPartsView } from './answer-parts-view.ts';
import {
  type AnswerState,
  applyPromptEvent,
  initialAnswerState,
  isFinished,
} from './answer-state.ts';
import { api } from './api-client.ts';
import { element } from './element.ts';
import { type ConnectionState, followStream } from './follow-stream.ts';
import { formatDuration } from './format.ts';
import { createReasoningDetails } from './reasoning-details.ts';

export interface AnswerView {
  readonly element: HTMLElement;
  /** Resolves with the last state once the prompt has ended (or the page was left). */
  readonly finished: Promise<AnswerState>;
}

const phaseLabels: Record<AnswerState['phase'], string> = {
  queued: 'Queued',
  running: 'Streaming',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** A prompt's answer as it streams, with its status, a cancel button, usage and timing. */
export function createAnswerView(promptId: string, signal: AbortSignal): AnswerView {
  let state = initialAnswerState;
  const status = element('span', { class: 'phase' }, 'Connecting…');
  const connection = element('span', { class: 'connection muted' });
  const reasoning = createReasoningDetails();
  const parts = createAnswerPartsView();
  const data = element('pre', {
    class: 'answer-data',
    tabindex: 0,
    'aria-label': 'Data',
    hidden: true,
  });
  const details = element('p', { class: 'answer-details muted' });
  const error = element('p', { class: 'field-error', role: 'alert' });
  const cancel = element('button', { type: 'button', class: 'secondary' }, 'Cancel');
  const view = element(
    'section',
    { class: 'answer', 'aria-label': 'Answer', 'data-prompt-id': promptId, 'data-phase': 'queued' },
    element('div', { class: 'answer-bar' }, status, connection, cancel),
    reasoning.element,
    parts.element,
    data,
    details,
    error,
  );
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try {
      await api(`/v1/prompts/${promptId}/cancel`, { method: 'POST' });
    } catch (failure) {
      // Already ended: the stream says how.
      error.textContent = (failure as Error).message;
      cancel.disabled = false;
    }
  });

  let finish: (state: AnswerState) => void = () => undefined;
  const finished = new Promise<AnswerState>((resolve) => {
    finish = resolve;
  });
  signal.addEventListener('abort', () => finish(state));

  const render = () => {
    view.dataset.phase = state.phase;
    status.textContent = `${phaseLabels[state.phase]}${state.attempt > 1 ? ` (attempt ${state.attempt})` : ''}`;
    reasoning.show(state.reasoning);
    // A schema's answer is shown as its validated data, indented, in place of the raw JSON.
    const hasData = state.data !== null;
    parts.show(state.parts, hasData);
    data.hidden = !hasData;
    if (hasData) data.textContent = JSON.stringify(state.data, null, 2);
    cancel.hidden = isFinished(state.phase);
    if (state.usage || state.durationMs !== null) {
      details.textContent = `Tokens in ${state.usage?.input ?? '—'}, out ${state.usage?.output ?? '—'} · ${formatDuration(state.durationMs)}`;
    }
    if (state.error) error.textContent = `${state.error.kind}: ${state.error.message}`;
  };
  const connectionLabels: Record<ConnectionState, string> = {
    connecting: '',
    open: '',
    reconnecting: 'Connection lost, reconnecting…',
    ended: '',
  };

  followStream({
    resource: `prompts/${promptId}`,
    events: [
      'status',
      'chunk',
      'reasoning',
      'tool_call',
      'tool_result',
      'restart',
      'done',
      'error',
    ],
    finalEvents: ['done', 'error'],
    signal,
    onEvent: (type, data) => {
      const event = { ...(data as object), type } as PromptEvent;
      state = applyPromptEvent(state, event);
      render();
      if (type === 'restart') announce(`Attempt ${state.attempt} started again`);
      if (isFinished(state.phase)) {
        announce(`Answer ${phaseLabels[state.phase].toLowerCase()}`);
        finish(state);
      }
    },
    onConnection: (connectionState) => {
      connection.textContent = connectionLabels[connectionState];
      view.dataset.connection = connectionState;
      if (connectionState === 'reconnecting') announce('Connection lost, reconnecting');
    },
    onFailure: (failure) => {
      error.textContent = failure.message;
      finish(state);
    },
  });
  render();
  status.textContent = 'Connecting…';
  return { element: view, finished };
}

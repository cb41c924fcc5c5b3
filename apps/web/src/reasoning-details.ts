import { element } from './element.ts';

export interface ReasoningDetails {
  readonly element: HTMLDetailsElement;
  /** Shows the reasoning so far; hidden while there is none. */
  show(reasoning: string): void;
}

/**
 * A model's reasoning, folded above its answer: it can be long and is not the answer, so it
 * stays closed unless the reader opens it, and keeps streaming inside while closed.
 */
export function createReasoningDetails(reasoning = ''): ReasoningDetails {
  const text = element('pre', { class: 'reasoning-text' });
  const details = element(
    'details',
    { class: 'reasoning' },
    element('summary', {}, 'Reasoning'),
    text,
  );
  const show = (value: string) => {
    details.hidden = value === '';
    if (text.textContent !== value) text.textContent = value;
  };
  show(reasoning);
  return { element: details, show };
}

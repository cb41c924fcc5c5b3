import type { AnswerPart } from './answer-state.ts';
import { element } from './element.ts';
import { toolCallDetails, toolResultDetails } from './tool-run-details.ts';

export interface AnswerPartsView {
  readonly element: HTMLElement;
  /** Shows the parts so far; text hidden when the answer is shown as data. */
  show(parts: readonly AnswerPart[], textHidden: boolean): void;
}

/**
 * The answer's text with its tool runs between, in stream order. The first text block is always
 * there (empty until the first chunk); the others are added as their parts arrive, and nothing
 * shown is rebuilt, so a tool run the reader opened stays open while the answer streams on.
 */
export function createAnswerPartsView(): AnswerPartsView {
  const first = textBlock();
  const container = element('div', { class: 'answer-parts' }, first);
  const shown: HTMLElement[] = [];
  const show = (parts: readonly AnswerPart[], textHidden: boolean) => {
    // A restart drops what the attempt before streamed.
    for (const stale of shown.splice(parts.length)) if (stale !== first) stale.remove();
    parts.forEach((part, index) => {
      shown[index] ??= partElement(part, index, first, container);
      if (part.kind === 'text' && shown[index].textContent !== part.text) {
        shown[index].textContent = part.text;
      }
    });
    if (shown[0] !== first) first.textContent = '';
    for (const block of container.querySelectorAll<HTMLElement>('.answer-text')) {
      block.hidden = textHidden;
    }
    // A chain that starts with tool calls has no text before them: no empty block above them.
    first.hidden = textHidden || (parts.length > 0 && shown[0] !== first);
  };
  return { element: container, show };
}

function partElement(
  part: AnswerPart,
  index: number,
  first: HTMLElement,
  container: HTMLElement,
): HTMLElement {
  // The first part, when text, fills the block shown from the start (empty until then).
  if (index === 0 && part.kind === 'text') return first;
  const node =
    part.kind === 'text'
      ? textBlock()
      : part.kind === 'tool_call'
        ? toolCallDetails(part.step, part.call)
        : toolResultDetails(part.step, part.result);
  container.append(node);
  return node;
}

function textBlock(): HTMLPreElement {
  return element('pre', { class: 'answer-text', tabindex: 0, 'aria-label': 'Answer' });
}

import type { ToolCallBody, ToolResultBody } from '@llmq/contracts';
import { element } from './element.ts';

const summaryLength = 80;

/** One line of at most 80 characters, for a summary that stays on one row. */
export function shortSummary(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > summaryLength ? `${line.slice(0, summaryLength - 1)}…` : line;
}

/** A tool's output as JSON indented when it is JSON, else as the tool gave it. */
export function readableOutput(output: string): string {
  try {
    return JSON.stringify(JSON.parse(output), null, 2);
  } catch {
    return output;
  }
}

/**
 * A tool call, folded between the answer's text: the name and its arguments in short in the
 * summary, the arguments indented inside, so that a long chain stays readable.
 */
export function toolCallDetails(step: number, call: ToolCallBody): HTMLDetailsElement {
  return element(
    'details',
    { class: 'tool-run tool-call', 'data-step': step, 'data-tool-call-id': call.id },
    element(
      'summary',
      {},
      element('span', { class: 'tool-run-kind' }, 'Tool call'),
      ' ',
      element('span', { class: 'mono' }, call.name),
      ' ',
      element('span', { class: 'muted mono' }, shortSummary(JSON.stringify(call.arguments))),
    ),
    element(
      'pre',
      { class: 'tool-run-body', 'aria-label': `Arguments of ${call.name}` },
      JSON.stringify(call.arguments, null, 2),
    ),
  );
}

/** A tool's result, folded likewise: short output (or the error) in the summary, all inside. */
export function toolResultDetails(step: number, result: ToolResultBody): HTMLDetailsElement {
  const failed = result.exception !== null;
  return element(
    'details',
    {
      class: failed ? 'tool-run tool-result tool-failed' : 'tool-run tool-result',
      'data-step': step,
      'data-tool-call-id': result.tool_call_id,
    },
    element(
      'summary',
      {},
      element('span', { class: 'tool-run-kind' }, failed ? 'Tool error' : 'Tool result'),
      ' ',
      element('span', { class: 'mono' }, result.name),
      ' ',
      element(
        'span',
        { class: 'muted mono' },
        shortSummary(result.exception ?? result.output) || '(empty)',
      ),
    ),
    element(
      'pre',
      { class: 'tool-run-body', 'aria-label': `Output of ${result.name}` },
      readableOutput(result.output),
    ),
    failed ? element('p', { class: 'field-error' }, `Exception: ${result.exception}`) : null,
  );
}

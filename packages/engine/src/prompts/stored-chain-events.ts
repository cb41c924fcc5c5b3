import type { PromptEvent } from '@llmq/contracts';
import type { ChainStepRow } from '@llmq/db';

/**
 * A chain's events rebuilt from its stored steps, as its log had them: each step's results,
 * reasoning, text and calls in order (without the final event, which the first step's row
 * gives). What a stream replays once the log has expired.
 */
export function storedChainEvents(steps: readonly ChainStepRow[]): PromptEvent[] {
  const events: PromptEvent[] = [];
  for (const step of steps) {
    const number = step.chainStep ?? 1;
    for (const result of step.toolResults) {
      events.push({
        type: 'tool_result',
        step: number,
        result: {
          tool_call_id: result.toolCallId,
          name: result.name,
          output: result.output,
          exception: result.exception,
        },
      });
    }
    if (step.response === null) continue;
    if (step.reasoning) events.push({ type: 'reasoning', text: step.reasoning });
    if (step.response) events.push({ type: 'chunk', text: step.response });
    for (const call of step.toolCalls ?? []) events.push({ type: 'tool_call', step: number, call });
  }
  return events;
}

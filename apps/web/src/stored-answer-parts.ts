import type { PromptBody } from '@llmq/contracts';
import type { AnswerPart } from './answer-state.ts';
import { api } from './api-client.ts';

/**
 * A stored answer's parts as its stream showed them: for each model call of the chain, the
 * results it carried, its text, then the calls it made. A prompt without tools is its text.
 */
export function storedAnswerParts(steps: readonly PromptBody[]): AnswerPart[] {
  const parts: AnswerPart[] = [];
  for (const prompt of steps) {
    const step = prompt.chain?.step ?? 1;
    for (const result of prompt.tool_results) parts.push({ kind: 'tool_result', step, result });
    if (prompt.text) {
      const last = parts.at(-1);
      if (last?.kind === 'text')
        parts[parts.length - 1] = { kind: 'text', text: last.text + prompt.text };
      else parts.push({ kind: 'text', text: prompt.text });
    }
    for (const call of prompt.tool_calls ?? []) parts.push({ kind: 'tool_call', step, call });
  }
  return parts;
}

/** Every model call of the prompt's chain, in order (the prompt alone when it ran no tools). */
export async function loadChainSteps(
  prompt: PromptBody,
  signal: AbortSignal,
): Promise<PromptBody[]> {
  const ids = prompt.chain?.steps ?? [];
  if (ids.length <= 1) return [prompt];
  return Promise.all(
    ids.map((id) =>
      id === prompt.id
        ? prompt
        : api<PromptBody>(`/v1/prompts/${encodeURIComponent(id)}`, { signal }),
    ),
  );
}

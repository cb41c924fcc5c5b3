/**
 * The reasoning text in a streamed delta or a whole message, when the server sends it. OpenAI's
 * own Chat Completions never does; OpenAI-compatible servers do, as `reasoning_content` (DeepSeek,
 * vLLM) or as `reasoning` (OpenRouter, newer vLLM). Neither is in the SDK's types.
 */
export function reasoningText(part: object | null | undefined): string | undefined {
  if (!part) return undefined;
  const { reasoning_content: content, reasoning } = part as {
    reasoning_content?: unknown;
    reasoning?: unknown;
  };
  if (typeof content === 'string' && content) return content;
  if (typeof reasoning === 'string' && reasoning) return reasoning;
  return undefined;
}

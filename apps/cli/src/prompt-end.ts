import type { LlmqClient } from '@llmq/client';
import { isEndedStatus, type PromptBody } from '@llmq/contracts';

/** The prompt once it has ended, following its stream while it runs. */
export async function waitForEnd(client: LlmqClient, id: string): Promise<PromptBody> {
  for (;;) {
    const prompt = await client.getPrompt(id);
    if (isEndedStatus(prompt.status)) return prompt;
    for await (const entry of client.followPrompt(id)) {
      if (entry.event.type === 'done' || entry.event.type === 'error') break;
    }
  }
}

/** What went wrong with a prompt that did not succeed, in one line; undefined when it did. */
export function failureOf(finished: PromptBody): string | undefined {
  if (finished.status === 'succeeded') return undefined;
  return finished.error
    ? `${finished.error.kind}: ${finished.error.message}`
    : `the prompt ${finished.status}`;
}

/** The newest conversation, for `-c` (continue). */
export async function latestConversation(client: LlmqClient): Promise<string> {
  const page = await client.listConversationsPage(1);
  const latest = page.data[0];
  if (!latest) throw new Error('there is no conversation to continue yet');
  return latest.id;
}

import { type Database, getConversationHistory, type ResponseRow } from '@llmq/db/reads';
import { responseId } from './response-ids.ts';

/**
 * The response a prompt continues, as `previous_response_id`: llmq does not store the name a
 * request gave, so it is derived as the conversation's turn before this prompt, when that turn
 * was itself a response llmq ran (`attempts > 0`); a chain step counts as its chain's response.
 * A turn written from a request's own input (history sent whole, or copied into a branch)
 * never ran, so a response after one says null: its client named no response llmq made, or
 * (a branch) named one that lives in another conversation.
 */
export async function previousResponseIdOf(
  db: Database,
  row: Pick<ResponseRow, 'id' | 'conversationId' | 'chainId' | 'chainStep'>,
): Promise<string | null> {
  // A conversation that took this prompt's id began with it (submitPrompt): no turn before.
  if (!row.conversationId || row.conversationId === row.id) return null;
  const earlier = await getConversationHistory(db, row.conversationId, {
    id: row.id,
    // Every step of this prompt's own chain is this response, not an earlier one.
    chainId: row.chainId ?? row.id,
    chainStep: 1,
  });
  const previous = earlier.at(-1);
  if (!previous) return null;
  // A later step of a chain is a model call llmq made; a chain's first step (or a prompt
  // without a chain) ran when it was attempted.
  const laterStep = previous.chainId !== null && previous.chainId !== previous.id;
  if (!laterStep && previous.attempts === 0) return null;
  return responseId(previous.chainId ?? previous.id);
}

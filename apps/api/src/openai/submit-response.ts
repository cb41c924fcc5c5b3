import type { ToolCallBody } from '@llmq/contracts';
import { newId, SchemaNotSupportedError } from '@llmq/core';
import {
  type ConversationTurn,
  getConversationHistory,
  getFile,
  getPrompt,
  hasLaterTurn,
  type ResponseRow,
} from '@llmq/db/reads';
import { type ChatTurn, type PromptServices, submitChat, submitPrompt } from '@llmq/engine';
import type { Submitter } from '../auth/submitter.ts';
import { ChatMappingError } from './chat-mapping-error.ts';
import { chatOptions, chatSchema } from './chat-request.ts';
import { chatTools } from './chat-tools.ts';
import { chatTurns } from './chat-turns.ts';
import { OpenAIRequestError } from './openai-error.ts';
import { promptIdOfResponse } from './response-ids.ts';
import { chatRequestOfResponses, responsesParam } from './responses-chat-request.ts';
import type { ResponsesRequest } from './responses-request.ts';

/** Where a response continues from: the previous response's conversation, or a branch of it. */
interface Continuation {
  readonly model: string;
  /** The calls the previous response left for the client, which this input answers. */
  readonly calls: readonly ToolCallBody[];
  readonly conversationId?: string | undefined;
  /** The turns up to the previous response, when it is not its conversation's last. */
  readonly history?: ChatTurn[] | undefined;
}

/**
 * Submit a Responses request as an llmq prompt (mapped as a chat is: `chatRequestOfResponses`).
 * With `previous_response_id` the prompt continues that response's conversation; when that
 * response is not the conversation's last turn, a new conversation starts with the turns up to
 * it as history (a branch), as llmq's own API cannot append mid-conversation.
 */
export async function submitResponse(
  services: PromptServices,
  request: ResponsesRequest,
  submitter: Submitter,
  signal: AbortSignal,
): Promise<ResponseRow> {
  const { owner } = submitter;
  const continuation = request.previous_response_id
    ? await continuationOf(services, request.previous_response_id, owner)
    : undefined;
  const modelName = request.model ?? continuation?.model;
  if (!modelName) {
    throw new OpenAIRequestError(
      400,
      'Give the model: every llmq model is listed at GET /openai/v1/models',
      'model',
      'missing_required_parameter',
    );
  }
  const model = services.models.get(modelName);
  // Where each chat message came from in `input`, once mapped: errors name the input item.
  let inputIndexOf: readonly number[] = [];
  try {
    const mapped = chatRequestOfResponses(request, modelName, continuation?.calls);
    inputIndexOf = mapped.inputIndexOf;
    const chat = mapped.chat;
    const known = new Set(Object.keys(model.optionsSchema.shape));
    const options = chatOptions(chat, known);
    const turns = await chatTurns(chat.messages, async (fileId) => {
      return (await getFile(services.db, fileId, owner))?.attachmentId;
    });
    const common = {
      model: modelName,
      system: turns.system,
      prompt: turns.prompt,
      attachments: turns.attachments,
      tools: chatTools(chat, known),
      toolResults: turns.toolResults.length > 0 ? turns.toolResults : undefined,
      options,
      schema: chatSchema(chat),
      metadata: request.metadata ?? undefined,
      ...submitter,
      signal,
    };
    if (continuation?.conversationId) {
      const { prompt } = await submitPrompt(services, {
        ...common,
        conversationId: continuation.conversationId,
        largeInline: true,
      });
      return prompt;
    }
    // With a previous response, the only earlier turn the input made is the one that carried
    // its calls (placed first by `chatRequestOfResponses`): the stored history replaces it.
    const history = continuation ? (continuation.history ?? []) : turns.history;
    const { prompt } = await submitChat(services, { ...common, history });
    return prompt;
  } catch (error) {
    if (error instanceof ChatMappingError) {
      throw new OpenAIRequestError(
        400,
        error.message,
        responsesParam(error.param, inputIndexOf),
        'invalid_request',
      );
    }
    if (error instanceof SchemaNotSupportedError) {
      throw new OpenAIRequestError(400, error.message, 'text.format', 'invalid_request');
    }
    throw error;
  }
}

async function continuationOf(
  services: PromptServices,
  previousId: string,
  owner: string | undefined,
): Promise<Continuation> {
  const notFound = () =>
    new OpenAIRequestError(
      404,
      `Previous response with id '${previousId}' not found.`,
      'previous_response_id',
      'previous_response_not_found',
    );
  let promptId: string;
  try {
    promptId = promptIdOfResponse(previousId);
  } catch {
    throw notFound();
  }
  const previous = await getPrompt(services.db, promptId, owner);
  if (!previous?.conversationId) throw notFound();
  if (previous.status !== 'succeeded') {
    throw new OpenAIRequestError(
      400,
      `Previous response with id '${previousId}' is ${previous.status === 'failed' || previous.status === 'cancelled' ? previous.status : 'not finished yet'}: only a completed response can be continued`,
      'previous_response_id',
      'previous_response_not_completed',
    );
  }
  const calls =
    previous.chainEnd?.finish_reason === 'tool_calls'
      ? previous.chainEnd.tool_calls
      : previous.chainEnd
        ? []
        : (previous.toolCalls ?? []);
  if (!(await hasLaterTurn(services.db, previous.conversationId, previous))) {
    return { model: previous.model, calls, conversationId: previous.conversationId };
  }
  const turns = await getConversationHistory(services.db, previous.conversationId, {
    id: newId(),
  });
  const last = turns.findLastIndex(
    (turn) => turn.id === previous.id || turn.chainId === previous.id,
  );
  return {
    model: previous.model,
    calls,
    history: turns.slice(0, last + 1).map(chatTurnOf),
  };
}

/** A stored turn as a chat turn, to start a branch with. */
function chatTurnOf(turn: ConversationTurn): ChatTurn {
  return {
    prompt: turn.prompt,
    attachments: turn.attachments.map((attachment) => ({ id: attachment.id })),
    response: turn.response ?? '',
    toolCalls: turn.toolCalls ?? undefined,
    toolResults: turn.toolResults.map((result) => ({
      tool_call_id: result.toolCallId,
      output: result.output,
      ...(result.exception ? { exception: result.exception } : {}),
    })),
    // A branch keeps what the model stored of each turn (a reasoning model's encrypted reasoning).
    providerData: turn.responseJson ?? undefined,
  };
}

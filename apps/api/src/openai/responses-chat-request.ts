import type { ToolCallBody } from '@llmq/contracts';
import { ChatMappingError } from './chat-mapping-error.ts';
import type { ChatMessage, ChatRequest, UserPart } from './chat-request.ts';
import {
  type ResponsesContentPart,
  type ResponsesInputItem,
  type ResponsesRequest,
  responsesFields,
} from './responses-request.ts';

/** A Responses request said as a chat request, and where each chat message came from. */
export interface ResponsesAsChat {
  readonly chat: ChatRequest;
  /** The input item each message was made from (-1 for the previous response's calls). */
  readonly inputIndexOf: readonly number[];
}

/**
 * A Responses request as the chat facade's request, so that one mapping (options, tools, turns,
 * attachments, schema) serves both: `instructions` and system items become system messages,
 * items become messages (a `function_call` joins the assistant message before it as one of its
 * `tool_calls`; a `function_call_output` is a `tool` message), `text.format` the response
 * format, `max_output_tokens` the completion limit, `reasoning.effort` `reasoning_effort`.
 * `previousCalls`, the calls the previous response ended with, come first as an assistant
 * message, so the outputs answering them are checked as a chat's tool messages are.
 */
export function chatRequestOfResponses(
  request: ResponsesRequest,
  model: string,
  previousCalls: readonly ToolCallBody[] = [],
): ResponsesAsChat {
  const messages: ChatMessage[] = [];
  const inputIndexOf: number[] = [];
  if (request.instructions) {
    messages.push({ role: 'system', content: request.instructions });
    inputIndexOf.push(-1);
  }
  if (previousCalls.length > 0) {
    messages.push({
      role: 'assistant',
      content: null,
      tool_calls: previousCalls.map((call) => ({
        id: call.id,
        type: 'function' as const,
        function: { name: call.name, arguments: JSON.stringify(call.arguments) },
      })),
    });
    inputIndexOf.push(-1);
  }
  const items: ResponsesInputItem[] =
    typeof request.input === 'string'
      ? [{ type: 'message', role: 'user', content: request.input }]
      : request.input;
  for (const [index, item] of items.entries()) {
    const param = `input[${index}]`;
    if (item.type === 'reasoning') continue;
    if (
      request.previous_response_id &&
      (item.type === 'function_call' || item.role === 'assistant')
    ) {
      throw new ChatMappingError(
        'With previous_response_id the input holds only what follows that response (messages and function_call_output items): its earlier turns are already stored',
        param,
      );
    }
    if (item.type === 'function_call') {
      const call = {
        id: item.call_id,
        type: 'function' as const,
        function: { name: item.name, arguments: item.arguments },
      };
      const last = messages.at(-1);
      if (last?.role === 'assistant') {
        messages[messages.length - 1] = { ...last, tool_calls: [...(last.tool_calls ?? []), call] };
      } else {
        messages.push({ role: 'assistant', content: null, tool_calls: [call] });
        inputIndexOf.push(index);
      }
      continue;
    }
    if (item.type === 'function_call_output') {
      messages.push({
        role: 'tool',
        tool_call_id: item.call_id,
        content: outputText(item.output, param),
      });
    } else if (item.role === 'user') {
      const content =
        typeof item.content === 'string'
          ? item.content
          : item.content.map((part, partIndex) => userPart(part, `${param}.content[${partIndex}]`));
      messages.push({ role: 'user', content });
    } else {
      messages.push({ role: item.role, content: textOf(item.content, item.role, param) });
    }
    inputIndexOf.push(index);
  }
  const extras = Object.fromEntries(
    Object.entries(request).filter(([field]) => !responsesFields.has(field)),
  );
  const reasoning = request.reasoning;
  const format = request.text?.format;
  const choice = request.tool_choice;
  const chat: ChatRequest = {
    ...extras,
    ...(typeof reasoning === 'string' ? { reasoning } : {}),
    model,
    messages,
    temperature: request.temperature,
    top_p: request.top_p,
    max_completion_tokens: request.max_output_tokens,
    reasoning_effort: typeof reasoning === 'object' ? reasoning?.effort : undefined,
    verbosity: request.text?.verbosity,
    service_tier: request.service_tier,
    response_format:
      format?.type === 'json_schema'
        ? {
            type: 'json_schema',
            json_schema: {
              name: format.name,
              description: format.description,
              schema: format.schema,
              strict: format.strict,
            },
          }
        : format?.type === 'json_object'
          ? { type: 'json_object' }
          : undefined,
    tools: request.tools?.map((tool) => ({
      type: 'function' as const,
      function: { name: tool.name, description: tool.description, parameters: tool.parameters },
    })),
    tool_choice:
      typeof choice === 'object' && choice !== null
        ? { type: 'function', function: { name: choice.name } }
        : choice,
    parallel_tool_calls: request.parallel_tool_calls,
  };
  return { chat, inputIndexOf };
}

/** A chat mapping's parameter as the Responses request names it. */
export function responsesParam(param: string, inputIndexOf: readonly number[]): string {
  const message = /^messages\[(\d+)\]/.exec(param);
  if (message) {
    const index = inputIndexOf[Number(message[1])] ?? -1;
    return index >= 0 ? `input[${index}]` : 'input';
  }
  if (param === 'messages') return 'input';
  if (param.startsWith('response_format')) return 'text.format';
  if (param === 'max_completion_tokens' || param === 'max_tokens') return 'max_output_tokens';
  if (param.startsWith('tool_choice')) return 'tool_choice';
  if (param === 'reasoning_effort') return 'reasoning.effort';
  return param;
}

/** A user message's part as a chat part: images, files and file URLs become attachments. */
function userPart(part: ResponsesContentPart, param: string): UserPart {
  if (part.type === 'input_text' || part.type === 'output_text') {
    return { type: 'text', text: part.text };
  }
  if (part.type === 'refusal') return { type: 'text', text: part.refusal };
  if (part.type === 'input_image') {
    if (part.image_url && !part.file_id) {
      return { type: 'image_url', image_url: { url: part.image_url } };
    }
    if (part.file_id && !part.image_url) return { type: 'file', file: { file_id: part.file_id } };
    throw new ChatMappingError('An input_image gives exactly one of image_url or file_id', param);
  }
  const sources = [part.file_data, part.file_id, part.file_url].filter((each) => each != null);
  if (sources.length !== 1) {
    throw new ChatMappingError(
      'An input_file gives exactly one of file_data, file_id or file_url',
      param,
    );
  }
  // A file URL is fetched like an image URL: llmq learns any attachment's type from its bytes.
  if (part.file_url) return { type: 'image_url', image_url: { url: part.file_url } };
  return {
    type: 'file',
    file: {
      ...(part.file_data ? { file_data: part.file_data } : {}),
      ...(part.file_id ? { file_id: part.file_id } : {}),
      ...(part.filename ? { filename: part.filename } : {}),
    },
  };
}

/**
 * A system, developer or assistant item's text. Only a user's turn carries attachments in llmq
 * (and in llm), so an image or file there is a 400 naming the part rather than dropped unseen.
 */
function textOf(
  content: string | readonly ResponsesContentPart[],
  role: string,
  param: string,
): string {
  if (typeof content === 'string') return content;
  return content
    .map((part, partIndex) => {
      if (part.type === 'input_image' || part.type === 'input_file') {
        throw new ChatMappingError(
          `A ${role} item may hold only text: send the ${part.type} in a user item`,
          `${param}.content[${partIndex}]`,
        );
      }
      return part.type === 'refusal' ? part.refusal : part.text;
    })
    .join('');
}

/** A tool's output as text: llmq's tool results are text. */
function outputText(
  output: Extract<ResponsesInputItem, { type: 'function_call_output' }>['output'],
  param: string,
): string {
  if (typeof output === 'string') return output;
  return output
    .map((part) => {
      if (part.type !== 'input_text') {
        throw new ChatMappingError('A function_call_output may hold only text', `${param}.output`);
      }
      return part.text;
    })
    .join('');
}

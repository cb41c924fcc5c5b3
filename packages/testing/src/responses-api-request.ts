/** The fields of a Responses API request body that the local server reads. */
export interface ResponsesRequest {
  readonly model?: unknown;
  readonly input?: unknown;
  readonly instructions?: unknown;
  readonly stream?: unknown;
  readonly include?: unknown;
  readonly reasoning?: { readonly effort?: unknown; readonly summary?: unknown } | null;
  readonly text?: {
    readonly format?: {
      readonly type?: unknown;
      readonly name?: unknown;
      readonly schema?: unknown;
    };
    readonly verbosity?: unknown;
  } | null;
  readonly tools?: unknown;
  readonly tool_choice?: unknown;
  readonly [field: string]: unknown;
}

/** One input item as the server reads it: a message, a function call or output, reasoning. */
export interface ResponsesInputItem {
  readonly type?: unknown;
  readonly role?: unknown;
  readonly content?: unknown;
  readonly id?: unknown;
  readonly call_id?: unknown;
  readonly name?: unknown;
  readonly arguments?: unknown;
  readonly output?: unknown;
  readonly summary?: unknown;
  readonly encrypted_content?: unknown;
}

/** The request's input as items: a string is one user message, as the API takes it. */
export function inputItems(request: ResponsesRequest): ResponsesInputItem[] {
  if (typeof request.input === 'string') return [{ role: 'user', content: request.input }];
  return Array.isArray(request.input) ? (request.input as ResponsesInputItem[]) : [];
}

/** An item's kind: `message` when it has a role and no type, as the API's easy form. */
export function itemType(item: ResponsesInputItem): string {
  return typeof item.type === 'string' ? item.type : 'message';
}

/** The text of a message's content: the string, or its text parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: unknown; text?: unknown }) =>
      (part.type === 'input_text' || part.type === 'output_text') && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('');
}

interface ChatMessage {
  readonly role: string;
  readonly content: string | null;
  readonly tool_call_id?: unknown;
  readonly tool_calls?: { id: unknown; function: { name: unknown } }[];
}

/**
 * The input as Chat Completions messages, for the answers both routes share (a schema's example,
 * the tool results' summary): function calls as assistant `tool_calls`, outputs as `tool`
 * messages, content parts as their text.
 */
export function asChatMessages(request: ResponsesRequest): ChatMessage[] {
  return inputItems(request).flatMap((item): ChatMessage[] => {
    const type = itemType(item);
    if (type === 'function_call') {
      return [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: item.call_id, function: { name: item.name } }],
        },
      ];
    }
    if (type === 'function_call_output') {
      const output = typeof item.output === 'string' ? item.output : JSON.stringify(item.output);
      return [{ role: 'tool', content: output, tool_call_id: item.call_id }];
    }
    if (type === 'message') {
      return [{ role: String(item.role), content: contentText(item.content) }];
    }
    return [];
  });
}

import type { PromptStatus, ToolCallBody } from '@llmq/contracts';
import type { JsonSchema } from '@llmq/core';
import type { ResponseRow } from '@llmq/db/reads';
import { strictSchemaFor } from '@llmq/plugin-openai';
import { type TokenCounts, unixSeconds } from './chat-completion-body.ts';
import { incompleteReasonOf } from './incomplete-reason.ts';
import { outputItemId, responseId } from './response-ids.ts';

/** OpenAI's response statuses for llmq's prompt statuses. */
const statuses = {
  queued: 'queued',
  running: 'in_progress',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
} as const satisfies Record<PromptStatus, string>;
/** `incomplete`: the prompt succeeded, but the model stopped at its output token limit. */
export type ResponseStatus = (typeof statuses)[PromptStatus] | 'incomplete';

export function responseStatusOf(status: PromptStatus): ResponseStatus {
  return statuses[status];
}

/** The fields of a response that do not change as it runs: from the row as it was made. */
export type ResponseRowFields = Pick<
  ResponseRow,
  'id' | 'createdAt' | 'model' | 'system' | 'options' | 'tools' | 'metadata'
> & {
  /** The JSON Schema the answer must match, when the prompt has one. */
  readonly schema?: Record<string, unknown> | undefined;
  /**
   * Whether the request asked for `background`. llmq does not store it (every prompt is a
   * durable job), so only the answer to the creating request can say true; a retrieved or
   * streamed response says false, which keeps a resumed stream byte for byte the first.
   */
  readonly background?: boolean | undefined;
  /** The response this one continues (`previousResponseIdOf`), or null. */
  readonly previousResponseId?: string | null | undefined;
};

/** What a response has come to: its status, its output items, its usage and error. */
export interface ResponseProgress {
  readonly status: ResponseStatus;
  readonly output: readonly Record<string, unknown>[];
  readonly usage?: TokenCounts | undefined;
  readonly error?: { readonly code: string; readonly message: string } | null | undefined;
  readonly completedAt?: Date | null | undefined;
  /** Why the answer stopped short (`max_output_tokens`), when the model said it did. */
  readonly incompleteReason?: string | undefined;
}

const numberOr = (value: unknown) => (typeof value === 'number' ? value : null);

/**
 * A response object in OpenAI's shape. What the request asked (instructions, tools, the token
 * limit, sampling, reasoning effort, the output format) is read back from the stored prompt,
 * so a response created, retrieved or replayed in a stream reads alike, `metadata` included.
 */
export function responseObject(row: ResponseRowFields, progress: ResponseProgress) {
  const options = row.options ?? {};
  const maxOutputTokens =
    options.max_output_tokens ?? options.max_completion_tokens ?? options.max_tokens;
  const choice = options.tool_choice;
  return {
    id: responseId(row.id),
    object: 'response' as const,
    created_at: unixSeconds(row.createdAt),
    status: progress.status,
    background: row.background === true,
    ...(progress.completedAt ? { completed_at: unixSeconds(progress.completedAt) } : {}),
    error: progress.error ?? null,
    incomplete_details: progress.incompleteReason ? { reason: progress.incompleteReason } : null,
    instructions: row.system ?? null,
    max_output_tokens: numberOr(maxOutputTokens),
    metadata: row.metadata ?? {},
    model: row.model,
    output: progress.output,
    parallel_tool_calls: options.parallel_tool_calls !== false,
    previous_response_id: row.previousResponseId ?? null,
    reasoning: {
      effort: typeof options.reasoning_effort === 'string' ? options.reasoning_effort : null,
      summary: null,
    },
    store: true,
    temperature: numberOr(options.temperature),
    text: {
      format: row.schema
        ? {
            type: 'json_schema',
            // The request's name is OpenAI's wrapping and not stored.
            name: 'response',
            schema: row.schema,
            strict: schemaIsStrict(row.schema, options),
          }
        : { type: options.json_object === true ? 'json_object' : 'text' },
    },
    tool_choice:
      typeof choice === 'object' && choice !== null && 'function' in choice
        ? { type: 'function', name: (choice as { function: { name: string } }).function.name }
        : typeof choice === 'string'
          ? choice
          : 'auto',
    tools: (row.tools ?? [])
      .filter((tool) => !tool.runs_on_server)
      .map((tool) => ({
        type: 'function',
        name: tool.name,
        description: tool.description ?? null,
        parameters: tool.input_schema,
        strict: false,
      })),
    top_p: numberOr(options.top_p),
    truncation: 'disabled',
    usage: progress.usage ? responseUsage(progress.usage) : null,
  };
}

/**
 * Whether a schema is held strictly: `strict: false` is stored (the `strict_schema` option);
 * otherwise the answer is strict whenever strict mode can take the schema, as the OpenAI plugin
 * sends it, and llmq checks every answer against the schema whatever the model.
 */
function schemaIsStrict(
  schema: Record<string, unknown>,
  options: Readonly<Record<string, unknown>>,
): boolean {
  return options.strict_schema !== false && strictSchemaFor(schema as JsonSchema) !== undefined;
}

/** OpenAI's usage object, with the cached and reasoning tokens the model reported. */
export function responseUsage(usage: TokenCounts) {
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  const details = usage.details ?? {};
  return {
    input_tokens: input,
    input_tokens_details: {
      cached_tokens:
        detail(details, 'input_tokens_details', 'cached_tokens') ??
        detail(details, 'prompt_tokens_details', 'cached_tokens') ??
        0,
    },
    output_tokens: output,
    output_tokens_details: {
      reasoning_tokens:
        detail(details, 'output_tokens_details', 'reasoning_tokens') ??
        detail(details, 'completion_tokens_details', 'reasoning_tokens') ??
        0,
    },
    total_tokens: input + output,
  };
}

function detail(details: Readonly<Record<string, unknown>>, group: string, field: string) {
  const values = details[group];
  if (typeof values !== 'object' || values === null) return undefined;
  const value = (values as Record<string, unknown>)[field];
  return typeof value === 'number' ? value : undefined;
}

export function reasoningItem(id: string, text: string, status: 'in_progress' | 'completed') {
  return {
    id,
    type: 'reasoning',
    summary: text ? [{ type: 'summary_text', text }] : [],
    status,
  };
}

export function messageItem(
  id: string,
  text: string | undefined,
  status: 'in_progress' | 'completed',
) {
  return {
    id,
    type: 'message',
    role: 'assistant',
    status,
    content: text === undefined ? [] : [outputTextPart(text)],
  };
}

export function outputTextPart(text: string) {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function functionCallItem(
  id: string,
  call: ToolCallBody,
  argumentText: string,
  status: 'in_progress' | 'completed',
) {
  return {
    id,
    type: 'function_call',
    call_id: call.id,
    name: call.name,
    arguments: argumentText,
    status,
  };
}

/**
 * The output of a prompt that succeeded, from its row: its reasoning, its text as an
 * `output_text` message (left out when the model only called tools) and each call for the
 * client as a `function_call`, in the order a stream of it adds them.
 */
export function outputOfRow(
  row: Pick<ResponseRow, 'id' | 'status' | 'reasoning' | 'response' | 'toolCalls' | 'chainEnd'>,
): Record<string, unknown>[] {
  if (row.status !== 'succeeded') return [];
  const output: Record<string, unknown>[] = [];
  if (row.reasoning) {
    output.push(
      reasoningItem(outputItemId('rs', row.id, output.length), row.reasoning, 'completed'),
    );
  }
  const calls = row.chainEnd?.tool_calls ?? row.toolCalls ?? [];
  const text = row.response ?? '';
  if (text || calls.length === 0) {
    output.push(messageItem(outputItemId('msg', row.id, output.length), text, 'completed'));
  }
  for (const call of calls) {
    output.push(
      functionCallItem(
        outputItemId('fc', row.id, output.length),
        call,
        JSON.stringify(call.arguments),
        'completed',
      ),
    );
  }
  return output;
}

/** What a response shows beyond its row: see `ResponseRowFields`. */
export type ResponseExtras = Pick<
  ResponseRowFields,
  'schema' | 'background' | 'previousResponseId'
>;

/**
 * A stored response in OpenAI's shape: its status, output, usage and error from its row. One
 * that succeeded but was cut by its token limit is `incomplete` (`incompleteReasonOf`).
 */
export function responseOfRow(row: ResponseRow, extras: ResponseExtras = {}) {
  const ended = row.status === 'succeeded' || row.status === 'failed' || row.status === 'cancelled';
  const usage = row.chainEnd?.usage ?? { input: row.inputTokens, output: row.outputTokens };
  const incompleteReason = row.status === 'succeeded' ? incompleteReasonOf(row) : undefined;
  // Only the extras: `fields` of a route carry the row as it was made, which must not hide this one.
  const { schema, background, previousResponseId } = extras;
  return responseObject(
    { ...row, schema, background, previousResponseId },
    {
      status: incompleteReason ? 'incomplete' : responseStatusOf(row.status),
      incompleteReason,
      output: outputOfRow(row),
      usage: ended ? { ...usage, details: row.tokenDetails } : undefined,
      error:
        row.status === 'failed' ? { code: 'server_error', message: failureMessage(row) } : null,
      completedAt: ended ? row.completedAt : null,
    },
  );
}

/** A failed prompt's error as a response's error message, naming its kind. */
export function failureMessage(row: Pick<ResponseRow, 'errorKind' | 'error'>): string {
  return `${row.errorKind ?? 'Error'}: ${row.error ?? 'the prompt failed'}`;
}

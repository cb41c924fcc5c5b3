import { type PromptToolInput, toolNameSchema } from '@llmq/contracts';
import { z } from 'zod';
import { ChatMappingError } from './chat-mapping-error.ts';

/**
 * An OpenAI function tool. Its `parameters` become the client tool's input schema; `strict`
 * (OpenAI's guarantee that the arguments match them) cannot be honoured, so `strict: true` is
 * refused rather than taken for a promise llmq does not keep.
 */
export const chatToolSchema = z.object({
  type: z.literal('function', 'only function tools are supported'),
  function: z.object({
    name: toolNameSchema,
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z
      .literal(false, 'strict function calling is not supported: leave strict out')
      .nullish(),
  }),
});
export type ChatTool = z.infer<typeof chatToolSchema>;

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({
    type: z.literal('function'),
    function: z.object({ name: z.string().min(1) }),
  }),
]);
export type ToolChoice = z.infer<typeof toolChoiceSchema>;

/** The tool fields of a chat request, as `chatRequestSchema` parses them. */
export interface ChatToolFields {
  readonly model: string;
  readonly tools?: readonly ChatTool[] | null | undefined;
  readonly tool_choice?: ToolChoice | null | undefined;
  readonly parallel_tool_calls?: boolean | null | undefined;
}

/**
 * The request's functions as llmq client tools (the workers never run them: a call ends the
 * prompt and the client answers it in its next request), undefined when there are none. A
 * model without a `tool_choice` option is simply not offered the tools for `tool_choice:
 * "none"`, which is what that choice means.
 */
export function chatTools(
  request: ChatToolFields,
  known: ReadonlySet<string>,
): PromptToolInput[] | undefined {
  const tools = request.tools ?? [];
  if (tools.length === 0) return undefined;
  if (request.tool_choice === 'none' && !known.has('tool_choice')) return undefined;
  return tools.map(({ function: definition }) => ({
    name: definition.name,
    ...(definition.description == null ? {} : { description: definition.description }),
    ...(definition.parameters == null ? {} : { input_schema: definition.parameters }),
  }));
}

/**
 * `tool_choice` and `parallel_tool_calls` as the model's options of the same names, where it
 * has them. Without tools, `tool_choice: "none"` and `parallel_tool_calls` change nothing and
 * are dropped (they were accepted before the facade took tools); any other choice needs tools,
 * as OpenAI says. A model without the options is refused a choice it cannot be held to.
 */
export function chatToolOptions(
  request: ChatToolFields,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  const tools = request.tools ?? [];
  const choice = request.tool_choice ?? undefined;
  const parallel = request.parallel_tool_calls ?? undefined;
  if (tools.length === 0) {
    if (choice !== undefined && choice !== 'none') {
      throw new ChatMappingError(
        'tool_choice is only allowed when tools are given: send tools, or leave tool_choice out',
        'tool_choice',
      );
    }
    return {};
  }
  if (
    typeof choice === 'object' &&
    !tools.some((tool) => tool.function.name === choice.function.name)
  ) {
    throw new ChatMappingError(
      `tool_choice names ${choice.function.name}, which is not one of the tools (${tools.map((tool) => tool.function.name).join(', ')})`,
      'tool_choice.function.name',
    );
  }
  const options: Record<string, unknown> = {};
  if (choice !== undefined) {
    if (known.has('tool_choice')) options.tool_choice = choice;
    else if (choice !== 'auto' && choice !== 'none') {
      throw new ChatMappingError(
        `Model ${request.model} cannot be made to call a tool: leave tool_choice out, or send auto`,
        'tool_choice',
      );
    }
  }
  if (parallel !== undefined) {
    if (known.has('parallel_tool_calls')) options.parallel_tool_calls = parallel;
    else if (!parallel) {
      throw new ChatMappingError(
        `Model ${request.model} cannot be held to one tool call per answer: leave parallel_tool_calls out`,
        'parallel_tool_calls',
      );
    }
  }
  return options;
}

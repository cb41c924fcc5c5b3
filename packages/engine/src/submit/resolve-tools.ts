import type { PromptToolInput, ToolResultInput } from '@llmq/contracts';
import {
  type AsyncModel,
  ToolDefinitionError,
  ToolsNotSupportedError,
  UnknownToolError,
  validateTools,
} from '@llmq/core';
import type { NewToolResult, StoredTool, StoredToolCall } from '@llmq/db';
import { InvalidSchemaError } from '../schemas/schema-errors.ts';
import { checkSchemaShape } from '../schemas/schema-shape.ts';
import type { ToolCatalogue } from '../tools/tool-catalogue.ts';
import { InvalidToolResultsError } from '../tools/tool-errors.ts';

export interface PromptToolsInput {
  readonly tools?: readonly PromptToolInput[] | undefined;
  readonly toolResults?: readonly ToolResultInput[] | undefined;
}

/** What the new prompt's results answer: the last turn's calls and the tools it offered. */
export interface PreviousTurnTools {
  readonly toolCalls: readonly StoredToolCall[] | null;
  readonly tools: readonly StoredTool[] | null;
}

export interface ResolvedTools {
  /** What the row stores; null for a prompt with neither tools nor results. */
  readonly tools: StoredTool[] | null;
  /** The results the prompt carries, each placed as its call was. */
  readonly toolResults: NewToolResult[];
}

/** A client tool's schema when it gives none: no arguments. */
const noArguments = { type: 'object', properties: {} } as const;

/**
 * Check a prompt's tools and results before anything is stored: the model must call tools,
 * each server tool must exist, each client tool must be one a model can be given, and the
 * results must answer exactly the client-tool calls of the conversation's last turn (its
 * server-tool calls the chain runs itself). `lastTurn` is that turn, when continuing one.
 */
export function resolveTools(
  catalogue: ToolCatalogue,
  model: AsyncModel,
  input: PromptToolsInput,
  lastTurn: PreviousTurnTools | undefined,
  continuing: boolean,
): ResolvedTools {
  const tools = (input.tools ?? []).map((each) => storedTool(catalogue, each));
  const results = input.toolResults ?? [];
  if ((tools.length > 0 || results.length > 0) && !model.supportsTools) {
    throw new ToolsNotSupportedError(model.modelId);
  }
  validateTools(tools.map((tool) => ({ name: tool.name, inputSchema: tool.input_schema })));
  const calls = lastTurn?.toolCalls ?? [];
  if (results.length > 0 && !continuing) {
    throw new InvalidToolResultsError(
      'tool_results answer the tool calls of a conversation’s last turn: give its conversation_id',
    );
  }
  const byId = new Map(calls.map((call, position) => [call.id, { call, position }]));
  const answered = new Set<string>();
  const toolResults: NewToolResult[] = [];
  for (const [index, result] of results.entries()) {
    const found = byId.get(result.tool_call_id);
    if (!found) {
      const ids = calls.map((call) => call.id);
      throw new InvalidToolResultsError(
        `tool_results[${index}].tool_call_id ${result.tool_call_id} is not a call of the conversation’s last turn${ids.length > 0 ? `, which called: ${ids.join(', ')}` : ', which called no tools'}`,
      );
    }
    if (answered.has(result.tool_call_id)) {
      throw new InvalidToolResultsError(
        `tool_results[${index}] answers ${result.tool_call_id} again: give one result per call`,
      );
    }
    answered.add(result.tool_call_id);
    toolResults.push({
      toolCallId: result.tool_call_id,
      position: found.position,
      name: found.call.name,
      output: result.output,
      exception: result.exception ?? null,
    });
  }
  const offeredBefore = new Map((lastTurn?.tools ?? []).map((tool) => [tool.name, tool]));
  for (const call of calls) {
    if (answered.has(call.id) || offeredBefore.get(call.name)?.runs_on_server !== false) continue;
    // Every other call is the chain's: it runs a server tool's (or tells the model it cannot).
    throw new InvalidToolResultsError(
      `The conversation’s last turn called ${call.name} (tool_call_id ${call.id}), a client tool: give its result in tool_results`,
    );
  }
  const stored = tools.length > 0 || toolResults.length > 0 || calls.length > 0;
  return { tools: stored ? tools : null, toolResults };
}

function storedTool(catalogue: ToolCatalogue, input: PromptToolInput): StoredTool {
  if (typeof input === 'string') {
    const entry = catalogue.find(input);
    if (!entry) throw new UnknownToolError(input);
    const { tool } = entry;
    return {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.inputSchema,
      runs_on_server: true,
    };
  }
  if (catalogue.find(input.name)) {
    throw new ToolDefinitionError(
      input.name,
      `${input.name} is a server tool (GET /v1/tools): name it as a string to use it, or give your client tool another name`,
    );
  }
  const schema = input.input_schema ?? noArguments;
  try {
    checkSchemaShape(schema);
  } catch (error) {
    if (error instanceof InvalidSchemaError) {
      throw new ToolDefinitionError(input.name, `Tool ${input.name}: ${error.message}`);
    }
    throw error;
  }
  return {
    name: input.name,
    ...(input.description === undefined ? {} : { description: input.description }),
    input_schema: schema,
    runs_on_server: false,
  };
}

import { z } from 'zod';

/** OpenAI's rule for function names, the strictest of the providers (as core's tools keep). */
export const toolNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a tool name is 1 to 64 letters, digits, _ or -');

/** A tool's arguments' JSON Schema: an object, as every provider takes it. */
const inputSchemaSchema = z
  .record(z.string(), z.unknown())
  .meta({ description: 'A JSON Schema for the arguments (an object schema).' });

/**
 * A tool a prompt offers: a server tool by name (`GET /v1/tools`), or a client tool defined
 * here, which the workers never run: the model's calls to it end the prompt and the client
 * answers them with `tool_results` in the next turn.
 */
export const promptToolInputSchema = z
  .union([
    toolNameSchema.meta({ description: 'A tool the server runs, by name (GET /v1/tools).' }),
    z.strictObject({
      name: toolNameSchema,
      description: z.string().max(4096).optional(),
      input_schema: inputSchemaSchema.optional(),
    }),
  ])
  .meta({
    id: 'PromptToolInput',
    description:
      'A server tool by name, or a client tool ({name, description, input_schema}) that you answer with tool_results.',
  });
export type PromptToolInput = z.infer<typeof promptToolInputSchema>;

/** The answer to a call the turn before made, sent with the next prompt. */
export const toolResultInputSchema = z
  .strictObject({
    tool_call_id: z.string().min(1).max(256),
    output: z.string(),
    exception: z
      .string()
      .optional()
      .meta({ description: 'The error the tool raised, when it failed; the model is told.' }),
  })
  .meta({ id: 'ToolResultInput' });
export type ToolResultInput = z.infer<typeof toolResultInputSchema>;

export const toolCallSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    arguments: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'ToolCall', description: 'A tool the model asked to call, with its arguments.' });
export type ToolCallBody = z.infer<typeof toolCallSchema>;

export const toolResultSchema = z
  .object({
    tool_call_id: z.string(),
    name: z.string(),
    output: z.string(),
    exception: z.string().nullable(),
  })
  .meta({ id: 'ToolResult', description: 'The answer to one tool call, as the model got it.' });
export type ToolResultBody = z.infer<typeof toolResultSchema>;

/** A tool as a prompt offered it. */
export const promptToolSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    input_schema: z.record(z.string(), z.unknown()),
    runs_on_server: z.boolean(),
  })
  .meta({ id: 'PromptTool' });
export type PromptToolBody = z.infer<typeof promptToolSchema>;

/** A tool the server can run, from a plugin or an MCP server. */
export const toolListingSchema = z
  .object({
    name: z.string(),
    description: z.string().nullable(),
    input_schema: z.record(z.string(), z.unknown()),
    source: z
      .string()
      .meta({ description: 'Where it comes from: `plugin:<name>` or `mcp:<server>`.' }),
    hash: z.string().meta({ description: 'llm’s Tool.hash() of the definition and its source.' }),
  })
  .meta({ id: 'Tool' });
export type ToolListingBody = z.infer<typeof toolListingSchema>;

export const toolListSchema = z
  .object({ data: z.array(toolListingSchema) })
  .meta({ id: 'ToolList' });

/** llm's default `chain_limit`: how many model calls one prompt's chain may make. */
export const defaultChainLimit = 5;
export const maxChainLimit = 100;

/** Where a prompt is in its chain of model calls, when it ran server tools. */
export const chainSchema = z
  .object({
    id: z.string().meta({ description: 'The chain’s first step: the prompt the client made.' }),
    step: z.int().min(1),
    limit: z.int().nullable(),
    steps: z.array(z.string()).optional().meta({
      description: 'On the first step: every step’s prompt id in order.',
    }),
    text: z.string().optional().meta({
      description: 'On the first step: every step’s text joined, as the stream showed it.',
    }),
  })
  .meta({ id: 'Chain' });
export type ChainBody = z.infer<typeof chainSchema>;

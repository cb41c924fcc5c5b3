/** Every option an OpenAI chat model can take; each model's configuration picks from these. */
export const openAIOptionNames = [
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'stop',
  'seed',
  'json_object',
  'reasoning_effort',
  'reasoning_summary',
  'verbosity',
  'service_tier',
  'strict_schema',
  'tool_choice',
  'parallel_tool_calls',
] as const;

export type OpenAIOptionName = (typeof openAIOptionNames)[number];

/** What a chat model such as gpt-4.1 accepts when its configuration lists no options. */
export const chatModelOptionNames: readonly OpenAIOptionName[] = [
  'temperature',
  'max_tokens',
  'max_completion_tokens',
  'top_p',
  'frequency_penalty',
  'presence_penalty',
  'stop',
  'seed',
  'json_object',
  'service_tier',
];

/**
 * What a reasoning model such as o3 accepts when its configuration lists no options: OpenAI
 * answers 400 to sampling options (`temperature`, `top_p`, the penalties, `stop`) and to
 * `max_tokens` for these models. `verbosity` is the gpt-5 family's, so it is listed per model.
 */
export const reasoningModelOptionNames: readonly OpenAIOptionName[] = [
  'max_completion_tokens',
  'reasoning_effort',
  'json_object',
  'service_tier',
];

/** Options only a reasoning model takes. */
export const reasoningOnlyOptionNames: ReadonlySet<OpenAIOptionName> = new Set([
  'reasoning_effort',
  'reasoning_summary',
  'verbosity',
]);

/**
 * Options a reasoning model called over the Responses API takes whatever its configuration
 * lists, as they say how its reasoning is reported, not what it samples: `reasoning_summary`
 * ('auto' by default; 'none' for an organisation OpenAI has not verified for summaries, which
 * it refuses them). Chat Completions has no such field, so a model over it neither offers nor
 * accepts them.
 */
export const responsesReasoningOptionNames: readonly OpenAIOptionName[] = ['reasoning_summary'];

/**
 * Options only a model with structured outputs (`schemas: true`) takes; such a model takes them
 * whatever its configuration lists, as they shape how its schema is sent, not what it samples.
 */
export const schemaOptionNames: readonly OpenAIOptionName[] = ['strict_schema'];

/**
 * Options only a model with tools (`tools: true`) takes; such a model takes them whatever its
 * configuration lists, as they say how its tools may be called, not what it samples.
 */
export const toolOptionNames: readonly OpenAIOptionName[] = ['tool_choice', 'parallel_tool_calls'];

/**
 * Options of Chat Completions that the Responses API has no field for: a model called through
 * it (`api: "responses"`) neither offers nor accepts them.
 */
export const chatOnlyOptionNames: ReadonlySet<OpenAIOptionName> = new Set([
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
]);

/** Every option an Anthropic model may take; each model accepts a subset (see the settings). */
export const anthropicOptionNames = [
  'max_tokens',
  'temperature',
  'top_p',
  'top_k',
  'stop_sequences',
  'user_id',
  'cache',
  'thinking',
  'thinking_budget',
  'tool_choice',
] as const;

export type AnthropicOptionName = (typeof anthropicOptionNames)[number];

/** What every model takes. */
export const baseOptionNames: readonly AnthropicOptionName[] = [
  'max_tokens',
  'stop_sequences',
  'user_id',
  'cache',
];

/**
 * Sampling options, which the Claude 4.7 and later models refuse (400): offered only by models
 * whose configuration says `sampling`.
 */
export const samplingOptionNames: readonly AnthropicOptionName[] = [
  'temperature',
  'top_p',
  'top_k',
];

/** A model whose thinking has a token budget (`thinking: {type: "enabled", budget_tokens}`). */
export const budgetThinkingOptionNames: readonly AnthropicOptionName[] = [
  'thinking',
  'thinking_budget',
];

/** A model whose thinking is adaptive (`thinking: {type: "adaptive"}`): it takes no budget. */
export const adaptiveThinkingOptionNames: readonly AnthropicOptionName[] = ['thinking'];

export const toolOptionNames: readonly AnthropicOptionName[] = ['tool_choice'];

/** The request fields the rules read: any Chat Completions body. */
type ChatFields = { readonly [field: string]: unknown };

/** OpenAI's reasoning models by name: the o-series (o1, o3, o4-mini, …) and the gpt-5 family. */
export function isOpenAIReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model) && !model.includes('-chat');
}

export interface OpenAIErrorDetail {
  readonly message: string;
  readonly type: string;
  readonly param: string;
  readonly code: string;
}

/** Sampling parameters OpenAI's reasoning models refuse (`temperature` is refused unless 1). */
const samplingParameters = ['top_p', 'presence_penalty', 'frequency_penalty', 'stop', 'logprobs'];

/** The parameter the real API would refuse for this model, with OpenAI's own error. */
export function refusedParameter(
  request: ChatFields,
  reasoning: boolean,
): OpenAIErrorDetail | undefined {
  const unsupported = (param: string, instead = ''): OpenAIErrorDetail => ({
    message: `Unsupported parameter: '${param}' is not supported with this model.${instead}`,
    type: 'invalid_request_error',
    param,
    code: 'unsupported_parameter',
  });
  const given = (field: string) => request[field] !== undefined && request[field] !== null;
  if (!reasoning) {
    for (const field of ['reasoning_effort', 'verbosity']) {
      if (given(field)) return unsupported(field);
    }
    return undefined;
  }
  if (given('max_tokens')) {
    return unsupported('max_tokens', " Use 'max_completion_tokens' instead.");
  }
  if (given('temperature') && request.temperature !== 1) {
    return {
      message: `Unsupported value: 'temperature' does not support ${request.temperature} with this model. Only the default (1) value is supported.`,
      type: 'invalid_request_error',
      param: 'temperature',
      code: 'unsupported_value',
    };
  }
  const sampling = samplingParameters.find(given);
  return sampling ? unsupported(sampling) : undefined;
}

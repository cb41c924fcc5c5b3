import { decryptReasoning } from './encrypted-reasoning.ts';
import { refusedParameter } from './reasoning-model-rules.ts';
import { inputItems, itemType, type ResponsesRequest } from './responses-api-request.ts';

export interface ResponsesRequestIssue {
  readonly message: string;
  readonly param: string | null;
  readonly code: string | null;
}

/** Chat Completions fields the Responses API does not know (a client mixing the two APIs up). */
const chatOnlyFields = [
  'messages',
  'max_tokens',
  'max_completion_tokens',
  'response_format',
  'reasoning_effort',
  'verbosity',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'n',
];

const includable = [
  'reasoning.encrypted_content',
  'message.output_text.logprobs',
  'message.input_image.image_url',
  'file_search_call.results',
  'web_search_call.action.sources',
  'web_search_call.results',
  'code_interpreter_call.outputs',
  'computer_call_output.output.image_url',
];

const unknownParameter = (param: string): ResponsesRequestIssue => ({
  message: `Unknown parameter: '${param}'.`,
  param,
  code: 'unknown_parameter',
});
const missingParameter = (param: string): ResponsesRequestIssue => ({
  message: `Missing required parameter: '${param}'.`,
  param,
  code: 'missing_required_parameter',
});
const invalidValue = (param: string, value: unknown, supported: string[]) => ({
  message: `Invalid value: '${String(value)}'. Supported values are: ${supported.map((each) => `'${each}'`).join(', ')}.`,
  param,
  code: 'invalid_value',
});

/**
 * What the real Responses API answers 400 to that is cheap to see, with OpenAI's messages:
 * Chat Completions fields; a missing model; `reasoning` or encrypted reasoning asked of a model
 * that does not reason, sampling options of one that does; an unknown `include`; a tool or
 * schema format without its name; malformed input items: images without a URL, files without
 * data or name, a function call output answering no call before it, reasoning content the
 * server did not issue.
 */
export function responsesRequestIssue(
  request: ResponsesRequest,
  reasoningModel: boolean,
): ResponsesRequestIssue | undefined {
  for (const field of chatOnlyFields) {
    if (request[field] !== undefined) return unknownParameter(field);
  }
  if (typeof request.model !== 'string' || request.model === '') return missingParameter('model');
  if (request.input === undefined) return missingParameter('input');
  if (!reasoningModel && request.reasoning?.effort != null) {
    return {
      message: "Unsupported parameter: 'reasoning.effort' is not supported with this model.",
      param: 'reasoning.effort',
      code: 'unsupported_parameter',
    };
  }
  if (reasoningModel) {
    const refusal = refusedParameter(
      { temperature: request.temperature, top_p: request.top_p },
      true,
    );
    if (refusal) return refusal;
  }
  for (const [at, value] of (Array.isArray(request.include) ? request.include : []).entries()) {
    if (!includable.includes(value)) return invalidValue(`include[${at}]`, value, includable);
    if (value === 'reasoning.encrypted_content' && !reasoningModel) {
      return {
        message: 'Encrypted content is not supported with this model.',
        param: 'include',
        code: 'unsupported_parameter',
      };
    }
  }
  const format = request.text?.format;
  if (format?.type === 'json_schema') {
    if (typeof format.name !== 'string') return missingParameter('text.format.name');
    if (typeof format.schema !== 'object' || format.schema === null) {
      return missingParameter('text.format.schema');
    }
  }
  for (const [at, tool] of (Array.isArray(request.tools) ? request.tools : []).entries()) {
    if (tool?.type === 'function' && typeof tool.name !== 'string') {
      return missingParameter(`tools[${at}].name`);
    }
  }
  return inputIssue(request, reasoningModel);
}

function inputIssue(
  request: ResponsesRequest,
  reasoningModel: boolean,
): ResponsesRequestIssue | undefined {
  const calls = new Set<unknown>();
  for (const [at, item] of inputItems(request).entries()) {
    const type = itemType(item);
    if (type === 'message') {
      if (!['user', 'assistant', 'system', 'developer'].includes(String(item.role))) {
        return invalidValue(`input[${at}].role`, item.role, [
          'user',
          'assistant',
          'system',
          'developer',
        ]);
      }
      const parts = Array.isArray(item.content) ? item.content : [];
      for (const [index, part] of parts.entries()) {
        const param = `input[${at}].content[${index}]`;
        if (
          part?.type === 'input_image' &&
          !/^(https?:|data:image\/)/.test(String(part.image_url))
        ) {
          return missingParameter(`${param}.image_url`);
        }
        if (part?.type === 'input_file') {
          if (!String(part.file_data ?? '').startsWith('data:'))
            return missingParameter(`${param}.file_data`);
          if (typeof part.filename !== 'string') return missingParameter(`${param}.filename`);
        }
      }
    } else if (type === 'function_call') {
      calls.add(item.call_id);
    } else if (type === 'function_call_output') {
      if (!calls.has(item.call_id)) {
        return {
          message: `No tool call found for function call output with call_id ${String(item.call_id)}.`,
          param: 'input',
          code: null,
        };
      }
    } else if (type === 'reasoning') {
      if (!reasoningModel || decryptReasoning(item.id, item.encrypted_content) === undefined) {
        return {
          message: `The encrypted content for item ${String(item.id)} could not be verified.`,
          param: null,
          code: 'invalid_encrypted_content',
        };
      }
    } else {
      return invalidValue(`input[${at}].type`, type, [
        'message',
        'function_call',
        'function_call_output',
        'reasoning',
      ]);
    }
  }
  return undefined;
}

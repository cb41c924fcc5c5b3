import { OpenAIRequestError } from './openai-error.ts';

const responsePrefix = 'resp_';
// llmq prompt ids are lowercase ULIDs.
const responseIdPattern = /^resp_([0-9a-z]{26})$/;

/** The Responses id of an llmq prompt: its id behind OpenAI's prefix, findable from either API. */
export function responseId(promptId: string): string {
  return `${responsePrefix}${promptId}`;
}

/** OpenAI's 404 for a response that does not exist (or is another owner's). */
export function responseNotFound(id: string): OpenAIRequestError {
  return new OpenAIRequestError(404, `Response with id '${id}' not found.`, null, 'not_found');
}

/** The llmq prompt id behind a Responses id; any other id is a response that does not exist. */
export function promptIdOfResponse(id: string): string {
  const match = responseIdPattern.exec(id);
  if (!match?.[1]) throw responseNotFound(id);
  return match[1];
}

/**
 * The id of the output item at `outputIndex` of a response, by kind (`msg`, `rs`, `fc`): made
 * from the prompt id and the index, so a replayed stream and a retrieved response name their
 * items alike.
 */
export function outputItemId(kind: 'msg' | 'rs' | 'fc', promptId: string, outputIndex: number) {
  return `${kind}_${promptId}_${outputIndex}`;
}

/** The id of the input item at `index` of a response's input, by kind. */
export function inputItemId(kind: 'msg' | 'fco', promptId: string, index: number) {
  return `${kind}_${promptId}_in${index}`;
}

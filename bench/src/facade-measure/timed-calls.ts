import type OpenAI from 'openai';

/** The upstream's answer: 36 words, the text every path must deliver exactly. */
export const benchWords = 'the quick brown fox jumps over the lazy dog '
  .repeat(4)
  .trim()
  .split(' ');

export interface Timing {
  /** Milliseconds from the call to its first content token. */
  readonly firstToken: number;
  /** Milliseconds from the call to the end of its stream. */
  readonly total: number;
}

export type TimedCall = (client: OpenAI, model: string, index: number) => Promise<Timing>;

/** One streaming chat completion: time to the first content token and to the end of the stream. */
export const timedChat: TimedCall = async (client, model, index) => {
  const start = performance.now();
  let firstToken = Number.NaN;
  const stream = await client.chat.completions.create({
    model,
    stream: true,
    messages: [{ role: 'user', content: `call ${index}: tell me about the fox` }],
  });
  let text = '';
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (content) {
      if (Number.isNaN(firstToken)) firstToken = performance.now() - start;
      text += content;
    }
  }
  if (text !== benchWords.join(' ')) throw new Error(`call ${index} got ${JSON.stringify(text)}`);
  return { firstToken, total: performance.now() - start };
};

/** One streaming Responses call: time to the first `output_text` delta and to the end. */
export const timedResponse: TimedCall = async (client, model, index) => {
  const start = performance.now();
  let firstToken = Number.NaN;
  const stream = await client.responses.create({
    model,
    stream: true,
    input: `call ${index}: tell me about the fox`,
  });
  let text = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta' && event.delta) {
      if (Number.isNaN(firstToken)) firstToken = performance.now() - start;
      text += event.delta;
    }
  }
  if (text !== benchWords.join(' ')) {
    throw new Error(`response ${index} got ${JSON.stringify(text)}`);
  }
  return { firstToken, total: performance.now() - start };
};

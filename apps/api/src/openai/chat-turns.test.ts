import { describe, expect, it } from 'vitest';
import { ChatMappingError } from './chat-mapping-error.ts';
import { chatRequestSchema } from './chat-request.ts';
import { chatTurns } from './chat-turns.ts';

/** The turns of messages as a request would carry them (no file ids in these). */
function turnsOf(messages: unknown[]) {
  const request = chatRequestSchema.parse({ model: 'm', messages });
  return chatTurns(request.messages, async () => undefined);
}

/** The refusal of messages: its param and message. */
async function refusalOf(messages: unknown[]): Promise<ChatMappingError> {
  const error = await turnsOf(messages).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ChatMappingError);
  return error as ChatMappingError;
}

const call = (id: string, name: string, args: string) => ({
  id,
  type: 'function',
  function: { name, arguments: args },
});

const weatherCalls = [call('c1', 'get_weather', '{"city":"Paris"}'), call('c2', 'get_time', '{}')];

describe('tool messages in the OpenAI facade’s chat turns', () => {
  it('makes the calls a turn’s and the tool messages the next turn’s results', async () => {
    const turns = await turnsOf([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'A' },
      { role: 'assistant', content: null, tool_calls: weatherCalls },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'c2', content: [{ type: 'text', text: '09:30' }] },
      { role: 'assistant', content: 'text' },
      { role: 'user', content: 'B' },
    ]);
    expect(turns.system).toBe('Be brief.');
    expect(turns.history).toEqual([
      {
        prompt: 'A',
        attachments: [],
        response: '',
        toolCalls: [
          { id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'c2', name: 'get_time', arguments: {} },
        ],
      },
      {
        prompt: '',
        attachments: [],
        response: 'text',
        toolResults: [
          { tool_call_id: 'c1', output: 'sunny' },
          { tool_call_id: 'c2', output: '09:30' },
        ],
      },
    ]);
    expect(turns.prompt).toBe('B');
    expect(turns.toolResults).toEqual([]);
  });

  it('makes trailing tool messages the prompt’s results, with no text', async () => {
    const turns = await turnsOf([
      { role: 'user', content: 'A' },
      { role: 'assistant', content: 'Let me look.', tool_calls: weatherCalls },
      { role: 'tool', tool_call_id: 'c2', content: '09:30' },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
    ]);
    expect(turns.history).toHaveLength(1);
    expect(turns.history[0]?.response).toBe('Let me look.');
    expect(turns.prompt).toBe('');
    expect(turns.toolResults).toEqual([
      { tool_call_id: 'c2', output: '09:30' },
      { tool_call_id: 'c1', output: 'sunny' },
    ]);
  });

  it('takes empty arguments as none, and keeps the arguments’ key order', async () => {
    const turns = await turnsOf([
      { role: 'user', content: 'A' },
      {
        role: 'assistant',
        tool_calls: [call('c1', 'now', ''), call('c2', 'add', '{"b":2,"a":1}')],
      },
      { role: 'tool', tool_call_id: 'c1', content: 'noon' },
      { role: 'tool', tool_call_id: 'c2', content: '3' },
    ]);
    expect(turns.history[0]?.toolCalls?.map((each) => each.arguments)).toEqual([
      {},
      { b: 2, a: 1 },
    ]);
    expect(Object.keys(turns.history[0]?.toolCalls?.[1]?.arguments ?? {})).toEqual(['b', 'a']);
  });

  it('refuses a tool message that answers no call of the assistant message before it', async () => {
    const orphan = await refusalOf([{ role: 'tool', tool_call_id: 'c9', content: 'x' }]);
    expect(orphan.param).toBe('messages[0].tool_call_id');
    expect(orphan.message).toMatch(/c9/);
    const unknown = await refusalOf([
      { role: 'user', content: 'A' },
      { role: 'assistant', tool_calls: weatherCalls },
      { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
      { role: 'tool', tool_call_id: 'c1', content: 'again' },
    ]);
    expect(unknown.param).toBe('messages[3].tool_call_id');
    const stale = await refusalOf([
      { role: 'user', content: 'A' },
      { role: 'assistant', tool_calls: [call('c1', 'now', '{}')] },
      { role: 'tool', tool_call_id: 'c1', content: 'noon' },
      { role: 'assistant', content: 'It is noon.' },
      { role: 'tool', tool_call_id: 'c1', content: 'noon' },
    ]);
    expect(stale.param).toBe('messages[4].tool_call_id');
  });

  it('refuses calls left unanswered before the next user or assistant message, or at the end', async () => {
    for (const next of [
      { role: 'user', content: 'B' },
      { role: 'assistant', content: 'B' },
    ]) {
      const refusal = await refusalOf([
        { role: 'user', content: 'A' },
        { role: 'assistant', tool_calls: weatherCalls },
        { role: 'tool', tool_call_id: 'c1', content: 'sunny' },
        next,
        { role: 'user', content: 'C' },
      ]);
      expect(refusal.param).toBe('messages[1].tool_calls');
      expect(refusal.message).toMatch(/no answer for: c2$/);
    }
    const atEnd = await refusalOf([
      { role: 'user', content: 'A' },
      { role: 'assistant', tool_calls: weatherCalls },
    ]);
    expect(atEnd.param).toBe('messages[1].tool_calls');
    expect(atEnd.message).toMatch(/c1, c2/);
  });

  it('refuses arguments that are not a JSON object, naming the call', async () => {
    for (const text of ['{"city":', '[1]', '"x"']) {
      const refusal = await refusalOf([
        { role: 'user', content: 'A' },
        { role: 'assistant', tool_calls: [call('c1', 'now', '{}'), call('c2', 'add', text)] },
        { role: 'tool', tool_call_id: 'c1', content: 'x' },
        { role: 'tool', tool_call_id: 'c2', content: 'x' },
        { role: 'user', content: 'B' },
      ]);
      expect(refusal.param).toBe('messages[1].tool_calls[1].function.arguments');
      expect(refusal.message).toMatch(/c2 \(add\)/);
    }
  });

  it('refuses one call id twice in a message', async () => {
    const refusal = await refusalOf([
      { role: 'user', content: 'A' },
      { role: 'assistant', tool_calls: [call('c1', 'now', '{}'), call('c1', 'add', '{}')] },
    ]);
    expect(refusal.param).toBe('messages[1].tool_calls[1].id');
  });
});

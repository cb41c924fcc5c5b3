import { describe, expect, it } from 'vitest';
import { ChatMappingError } from './chat-mapping-error.ts';
import { chatOptions, chatRequestSchema } from './chat-request.ts';
import { chatTools } from './chat-tools.ts';

const weather = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'The weather in a city.',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
};
const now = { type: 'function', function: { name: 'now' } };

/** A model with OpenAI's tool options, and one (like echo) without. */
const openAIModel = new Set(['tool_choice', 'parallel_tool_calls', 'temperature']);
const echoModel = new Set(['delay_ms']);

function request(fields: Record<string, unknown>) {
  return chatRequestSchema.parse({
    model: 'm',
    messages: [{ role: 'user', content: 'x' }],
    ...fields,
  });
}

function refusalOf(fields: Record<string, unknown>, known: ReadonlySet<string>): ChatMappingError {
  let refusal: unknown;
  try {
    chatOptions(request(fields), known);
  } catch (error) {
    refusal = error;
  }
  expect(refusal).toBeInstanceOf(ChatMappingError);
  return refusal as ChatMappingError;
}

describe('tools in the OpenAI facade', () => {
  it('maps functions to client tools, parameters as the input schema', () => {
    expect(chatTools(request({ tools: [weather, now] }), openAIModel)).toEqual([
      {
        name: 'get_weather',
        description: 'The weather in a city.',
        input_schema: weather.function.parameters,
      },
      { name: 'now' },
    ]);
    expect(chatTools(request({ tools: [] }), openAIModel)).toBeUndefined();
    expect(chatTools(request({}), openAIModel)).toBeUndefined();
  });

  it('refuses tools that are not functions, strict functions and bad names', () => {
    for (const tool of [
      { type: 'custom', custom: { name: 'x' } },
      { type: 'function', function: { name: 'x', strict: true } },
      { type: 'function', function: { name: 'no spaces allowed' } },
      { type: 'function' },
    ]) {
      const parsed = chatRequestSchema.safeParse({
        model: 'm',
        messages: [{ role: 'user', content: 'x' }],
        tools: [tool],
      });
      expect(parsed.success, JSON.stringify(tool)).toBe(false);
      expect(parsed.error?.issues[0]?.path.slice(0, 2)).toEqual(['tools', 0]);
    }
  });

  it('passes tool_choice and parallel_tool_calls as the options of a model that has them', () => {
    const choice = { type: 'function', function: { name: 'now' } };
    expect(
      chatOptions(
        request({ tools: [weather, now], tool_choice: choice, parallel_tool_calls: false }),
        openAIModel,
      ),
    ).toEqual({ tool_choice: choice, parallel_tool_calls: false });
    expect(chatOptions(request({ tools: [now], tool_choice: 'required' }), openAIModel)).toEqual({
      tool_choice: 'required',
    });
    expect(chatTools(request({ tools: [now], tool_choice: 'none' }), openAIModel)).toEqual([
      { name: 'now' },
    ]);
  });

  it('refuses a tool_choice naming a function the request does not give', () => {
    const refusal = refusalOf(
      { tools: [weather], tool_choice: { type: 'function', function: { name: 'now' } } },
      openAIModel,
    );
    expect(refusal.param).toBe('tool_choice.function.name');
    expect(refusal.message).toMatch(/now, which is not one of the tools \(get_weather\)/);
  });

  it('drops what changes nothing without tools, and refuses a choice that needs them', () => {
    expect(
      chatOptions(request({ tool_choice: 'none', parallel_tool_calls: true }), openAIModel),
    ).toEqual({});
    expect(refusalOf({ tool_choice: 'auto' }, openAIModel).param).toBe('tool_choice');
  });

  it('honours what a model without the options can honour, and refuses the rest', () => {
    expect(
      chatOptions(
        request({ tools: [now], tool_choice: 'auto', parallel_tool_calls: true }),
        echoModel,
      ),
    ).toEqual({});
    // "none" is kept by not offering the tools at all.
    expect(chatTools(request({ tools: [now], tool_choice: 'none' }), echoModel)).toBeUndefined();
    expect(refusalOf({ tools: [now], tool_choice: 'required' }, echoModel).param).toBe(
      'tool_choice',
    );
    expect(refusalOf({ tools: [now], parallel_tool_calls: false }, echoModel).param).toBe(
      'parallel_tool_calls',
    );
  });
});

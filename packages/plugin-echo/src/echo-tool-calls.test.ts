import { assistantMessage, ModelError, type Tool, toolMessage, userMessage } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { EchoModel } from './echo-model.ts';

const add: Tool = { name: 'add', inputSchema: { type: 'object' } };
const now: Tool = { name: 'now', inputSchema: { type: 'object' } };
const askForCalls = JSON.stringify({
  tool_calls: [{ name: 'add', arguments: { a: 1, b: 2 } }, { name: 'now' }],
});

describe('echo with tools', () => {
  it('supports tools', () => {
    expect(new EchoModel().supportsTools).toBe(true);
  });

  it('makes the tool calls a JSON prompt lists, with deterministic ids, and says nothing', async () => {
    const response = await new EchoModel().prompt(askForCalls, { tools: [add, now] });
    expect(response.toolCalls()).toEqual([
      { id: 'echo-call-1', name: 'add', arguments: { a: 1, b: 2 } },
      { id: 'echo-call-2', name: 'now', arguments: {} },
    ]);
    expect(response.text()).toBe('');
    expect(response.events.map((event) => event.type)).toEqual(['tool_call', 'tool_call']);
  });

  it('keeps the ids the prompt gives', async () => {
    const text = JSON.stringify({ tool_calls: [{ id: 'mine', name: 'now', arguments: {} }] });
    const response = await new EchoModel().prompt(text, { stream: false });
    expect(response.toolCalls()).toEqual([{ id: 'mine', name: 'now', arguments: {} }]);
  });

  it('describes JSON without tool_calls as any other prompt', async () => {
    const response = await new EchoModel().prompt('{"prompt": "hi"}');
    expect(response.toolCalls()).toEqual([]);
    expect(JSON.parse(response.text()).prompt).toBe('{"prompt": "hi"}');
  });

  it('echoes the tool results it is given, and a conversation replays the calls', async () => {
    const conversation = new EchoModel().conversation();
    const asked = await conversation.prompt(askForCalls, { tools: [add, now] });
    const [first, second] = asked.toolCalls();
    const answered = await conversation.prompt('', {
      tools: [add, now],
      toolResults: [
        { toolCallId: first?.id ?? '', name: 'add', output: '3' },
        { toolCallId: second?.id ?? '', name: 'now', output: '', exception: 'Error: no clock' },
      ],
    });
    expect(answered.toolCalls()).toEqual([]);
    const described = JSON.parse(answered.text());
    expect(described.tool_results).toEqual([
      { name: 'add', output: '3', tool_call_id: 'echo-call-1' },
      { name: 'now', output: '', tool_call_id: 'echo-call-2', exception: 'Error: no clock' },
    ]);
    expect(described.previous).toEqual([
      {
        prompt: askForCalls,
        attachments: [],
        response: '',
        tool_calls: [
          { id: 'echo-call-1', name: 'add', arguments: { a: 1, b: 2 } },
          { id: 'echo-call-2', name: 'now', arguments: {} },
        ],
      },
    ]);
    // Later calls go on counting, so ids never repeat in one conversation.
    const again = await conversation.prompt(JSON.stringify({ tool_calls: [{ name: 'now' }] }), {
      tools: [now],
    });
    expect(again.toolCalls().map((call) => call.id)).toEqual(['echo-call-3']);
    const later = await conversation.prompt('done?');
    const turns = JSON.parse(later.text()).previous;
    expect(turns).toHaveLength(3);
    expect(turns[1]).toEqual({
      prompt: '',
      attachments: [],
      tool_results: described.tool_results,
      response: answered.text(),
    });
  });

  it('refuses tool_calls it cannot make, for good', async () => {
    for (const tool_calls of ['add', [{ arguments: {} }], [{ name: 'add', arguments: [1] }]]) {
      const error = await new EchoModel()
        .prompt(JSON.stringify({ tool_calls }))
        .text()
        .catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(ModelError);
      expect((error as ModelError).retryable).toBe(false);
      expect((error as ModelError).message).toMatch(/^echo cannot make the tool calls asked for/);
    }
  });

  it('fails on demand before making its calls', async () => {
    const error = await new EchoModel()
      .prompt(askForCalls, { options: { fail: 'fatal' } })
      .toolCalls()
      .catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ModelError);
  });

  it('takes one list of calls per step of a chain, then describes the results', async () => {
    const text = JSON.stringify({
      tool_calls: [[{ name: 'add', arguments: { a: 1, b: 2 } }], [{ name: 'now' }]],
    });
    const model = new EchoModel();
    const first = await model.prompt(text, { tools: [add, now] });
    expect(first.toolCalls()).toEqual([
      { id: 'echo-call-1', name: 'add', arguments: { a: 1, b: 2 } },
    ]);
    const history = [userMessage(text), assistantMessage('', first.toolCalls())];
    const second = await model.prompt('', {
      tools: [add, now],
      history,
      toolResults: [{ toolCallId: 'echo-call-1', name: 'add', output: '3' }],
    });
    expect(second.toolCalls()).toEqual([{ id: 'echo-call-2', name: 'now', arguments: {} }]);
    const third = await model.prompt('', {
      tools: [add, now],
      history: [
        ...history,
        toolMessage([{ toolCallId: 'echo-call-1', name: 'add', output: '3' }]),
        assistantMessage('', second.toolCalls()),
      ],
      toolResults: [{ toolCallId: 'echo-call-2', name: 'now', output: 'noon' }],
    });
    expect(third.toolCalls()).toEqual([]);
    expect(JSON.parse(third.text()).tool_results).toEqual([
      { name: 'now', output: 'noon', tool_call_id: 'echo-call-2' },
    ]);
  });
});

import { sampleFiles } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { Attachment } from './attachment.ts';
import { assistantMessage, messageText, toolMessage, userMessage } from './message.ts';
import { MockModel, ToolMockModel } from './mock-model.fixture.ts';
import type { Tool, ToolCall, ToolResult } from './tool.ts';

describe('Conversation', () => {
  it('gives turn n the chain [system?] user1 assistant1 … user n', async () => {
    const model = new MockModel();
    model.enqueue(['a1']);
    model.enqueue(['a2']);
    model.enqueue(['a3']);
    const conversation = model.conversation();
    const first = await conversation.prompt('q1', { system: 'be brief' });
    const second = await conversation.prompt('q2');
    const third = await conversation.prompt('q3');
    const summary = (response: typeof first) =>
      response.prompt.messages.map((message) => `${message.role}:${messageText(message)}`);
    expect(summary(first)).toEqual(['system:be brief', 'user:q1']);
    expect(summary(second)).toEqual(['system:be brief', 'user:q1', 'assistant:a1', 'user:q2']);
    expect(summary(third)).toEqual([
      'system:be brief',
      'user:q1',
      'assistant:a1',
      'user:q2',
      'assistant:a2',
      'user:q3',
    ]);
    expect(conversation.responses.map((response) => response.text())).toEqual(['a1', 'a2', 'a3']);
  });

  it("replays an earlier turn's attachments in its user message", async () => {
    const model = new MockModel();
    model.enqueue(['a red pixel']);
    model.enqueue(['still red']);
    const image = new Attachment({ content: sampleFiles.png });
    const conversation = model.conversation();
    await conversation.prompt('what is this?', { attachments: [image] });
    const second = await conversation.prompt('and now?');
    expect(second.prompt.messages).toEqual([
      userMessage('what is this?', [image]),
      assistantMessage('a red pixel'),
      userMessage('and now?'),
    ]);
    expect(second.prompt.attachments).toEqual([]);
  });

  it('starts from history loaded from storage, then continues from its own turns', async () => {
    const model = new MockModel();
    model.enqueue(['r1']);
    model.enqueue(['r2']);
    const conversation = model.conversation({
      id: 'conv-1',
      history: [userMessage('Earlier'), assistantMessage('Reply')],
    });
    const now = await conversation.prompt('Now');
    expect(now.prompt.messages.map(messageText)).toEqual(['Earlier', 'Reply', 'Now']);
    const later = await conversation.prompt('Later');
    expect(later.prompt.messages.map(messageText)).toEqual([
      'Earlier',
      'Reply',
      'Now',
      'r1',
      'Later',
    ]);
    expect(conversation.id).toBe('conv-1');
  });

  it("replays the assistant's tool calls and the tool results that answered them", async () => {
    const model = new ToolMockModel();
    const call: ToolCall = { id: 'call-1', name: 'now', arguments: { zone: 'UTC' } };
    const result: ToolResult = { toolCallId: 'call-1', name: 'now', output: '12:00' };
    const now: Tool = { name: 'now', inputSchema: { type: 'object' } };
    model.enqueue([{ type: 'tool_call', call }]);
    model.enqueue(['It is noon.']);
    model.enqueue(['You are welcome.']);
    const conversation = model.conversation();
    const asked = await conversation.prompt('what time is it?', { tools: [now] });
    expect(asked.toolCalls()).toEqual([call]);
    const answered = await conversation.prompt('', { tools: [now], toolResults: [result] });
    expect(answered.prompt.messages).toEqual([
      userMessage('what time is it?'),
      assistantMessage('', [call]),
      toolMessage([result]),
    ]);
    const thanked = await conversation.prompt('thanks');
    expect(thanked.prompt.messages).toEqual([
      userMessage('what time is it?'),
      assistantMessage('', [call]),
      toolMessage([result]),
      assistantMessage('It is noon.'),
      userMessage('thanks'),
    ]);
  });

  it('passes itself to execute()', async () => {
    const model = new MockModel();
    const conversation = model.conversation();
    await conversation.prompt('x');
    expect(model.history[0]?.context.conversation).toBe(conversation);
  });
});

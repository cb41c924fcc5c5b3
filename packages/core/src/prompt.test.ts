import { describe, expect, it } from 'vitest';
import { assistantMessage, systemMessage, toolMessage, userMessage } from './message.ts';
import { Prompt } from './prompt.ts';
import type { ToolCall, ToolResult } from './tool.ts';

const call: ToolCall = { id: 'call-1', name: 'now', arguments: { zone: 'UTC' } };
const result: ToolResult = { toolCallId: 'call-1', name: 'now', output: '12:00' };

describe('Prompt', () => {
  it('has no tools and no tool results unless given', () => {
    const prompt = new Prompt({ prompt: 'hi', options: {} });
    expect(prompt.tools).toEqual([]);
    expect(prompt.toolResults).toEqual([]);
    expect(prompt.messages).toEqual([userMessage('hi')]);
  });

  it('may have empty text when it carries tool results: the chain ends with a tool message', () => {
    const history = [userMessage('what time is it?'), assistantMessage('', [call])];
    const prompt = new Prompt({ options: {}, toolResults: [result], history });
    expect(prompt.prompt).toBe('');
    expect(prompt.messages).toEqual([...history, toolMessage([result])]);
    expect(prompt.messages.at(-1)).toEqual({
      role: 'tool',
      parts: [{ type: 'tool_result', result }],
    });
  });

  it('puts the tool results before the user message when it has both', () => {
    const prompt = new Prompt({
      prompt: 'and in Paris?',
      system: 'be brief',
      options: {},
      toolResults: [result],
    });
    expect(prompt.messages).toEqual([
      systemMessage('be brief'),
      toolMessage([result]),
      userMessage('and in Paris?'),
    ]);
  });
});

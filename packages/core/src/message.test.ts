import { describe, expect, it } from 'vitest';
import {
  assistantMessage,
  messageText,
  messageToolCalls,
  messageToolResults,
  toolMessage,
  userMessage,
} from './message.ts';
import type { ToolCall, ToolResult } from './tool.ts';

const calls: ToolCall[] = [
  { id: 'a', name: 'now', arguments: {} },
  { id: 'b', name: 'add', arguments: { a: 1, b: 2 } },
];
const results: ToolResult[] = [
  { toolCallId: 'a', name: 'now', output: 'noon' },
  { toolCallId: 'b', name: 'add', output: '', exception: 'Error: overflow' },
];

describe('tool messages', () => {
  it('gives an assistant message its text, then its tool calls in order', () => {
    const message = assistantMessage('Let me check.', calls);
    expect(message.parts.map((part) => part.type)).toEqual(['text', 'tool_call', 'tool_call']);
    expect(messageText(message)).toBe('Let me check.');
    expect(messageToolCalls(message)).toEqual(calls);
  });

  it('leaves out the empty text of a turn that only called tools, keeps it otherwise', () => {
    expect(assistantMessage('', calls).parts.map((part) => part.type)).toEqual([
      'tool_call',
      'tool_call',
    ]);
    expect(assistantMessage('')).toEqual({
      role: 'assistant',
      parts: [{ type: 'text', text: '' }],
    });
  });

  it('keeps the provider payload of an assistant turn, and leaves it out when there is none', () => {
    const payload = { object: 'response', output: [{ type: 'reasoning', id: 'rs_1' }] };
    expect(assistantMessage('Hi', [], payload)).toEqual({
      role: 'assistant',
      parts: [{ type: 'text', text: 'Hi' }],
      providerData: payload,
    });
    expect('providerData' in assistantMessage('Hi', [], null)).toBe(false);
    expect('providerData' in assistantMessage('Hi')).toBe(false);
  });

  it('carries tool results in a tool message, one part each', () => {
    const message = toolMessage(results);
    expect(message.role).toBe('tool');
    expect(messageToolResults(message)).toEqual(results);
    expect(messageText(message)).toBe('');
    expect(messageToolCalls(userMessage('hi'))).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { ToolDefinitionError, ToolsNotSupportedError } from './errors.ts';
import { MockModel, ToolMockModel } from './mock-model.fixture.ts';
import type { Tool, ToolResult } from './tool.ts';

const now: Tool = { name: 'now', inputSchema: { type: 'object' }, implementation: () => 'noon' };
const result: ToolResult = { toolCallId: 'call-1', name: 'now', output: 'noon' };

describe('AsyncModel.prompt with tools', () => {
  it('does not support tools unless the model says so', () => {
    expect(new MockModel().supportsTools).toBe(false);
    expect(new ToolMockModel().supportsTools).toBe(true);
  });

  it('refuses tools, or tool results, for a model without support, before anything runs', () => {
    const model = new MockModel('plain');
    for (const call of [{ tools: [now] }, { toolResults: [result] }]) {
      const error = (() => {
        try {
          model.prompt('what time is it?', call);
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error).toBeInstanceOf(ToolsNotSupportedError);
      expect((error as ToolsNotSupportedError).message).toBe('Model plain does not support tools');
      expect((error as ToolsNotSupportedError).code).toBe('tools-not-supported');
      expect((error as ToolsNotSupportedError).blame).toBe('request');
      expect((error as ToolsNotSupportedError).retryable).toBe(false);
    }
    expect(model.history).toHaveLength(0);
    // An empty list asks for nothing.
    expect(() => model.prompt('x', { tools: [], toolResults: [] })).not.toThrow();
  });

  it('refuses invalid tools and tools sharing a name', () => {
    const model = new ToolMockModel();
    expect(() => model.prompt('x', { tools: [{ name: 'no spaces', inputSchema: {} }] })).toThrow(
      ToolDefinitionError,
    );
    expect(() => model.prompt('x', { tools: [now, now] })).toThrow('Two tools are named now');
  });

  it('passes the tools and tool results to execute() on the prompt', async () => {
    const model = new ToolMockModel();
    model.enqueue(['It is noon.']);
    await model.prompt('', { tools: [now], toolResults: [result] });
    const prompt = model.history[0]?.prompt;
    expect(prompt?.tools).toEqual([now]);
    expect(prompt?.toolResults).toEqual([result]);
  });
});

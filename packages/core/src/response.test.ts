import { describe, expect, it, vi } from 'vitest';
import { CompletedResponse } from './completed-response.ts';
import { ModelError } from './errors.ts';
import { FailingModel, MockModel, ToolMockModel } from './mock-model.fixture.ts';

describe('Response', () => {
  it('yields the text chunks through async iteration', async () => {
    const model = new MockModel();
    model.enqueue(['hello', ' world']);
    const chunks: string[] = [];
    for await (const chunk of model.prompt('hi')) chunks.push(chunk);
    expect(chunks).toEqual(['hello', ' world']);
  });

  it('resolves `await model.prompt()` to a finished response', async () => {
    const model = new MockModel();
    model.enqueue(['hello world']);
    const response = await model.prompt('hello');
    expect(response).toBeInstanceOf(CompletedResponse);
    expect(response.text()).toBe('hello world');
    expect(response.usage()).toEqual({ input: 1, output: 1, details: null });
    expect(response.durationMs()).toBeGreaterThanOrEqual(0);
    expect(new Date(response.datetimeUtc()).toISOString()).toBe(response.datetimeUtc());
  });

  it('runs execute() once and replays the chunks to every later iteration', async () => {
    const model = new MockModel();
    model.enqueue(['a', 'b']);
    const response = model.prompt('x');
    const first: string[] = [];
    for await (const chunk of response) first.push(chunk);
    const second: string[] = [];
    for await (const chunk of response) second.push(chunk);
    expect(first).toEqual(['a', 'b']);
    expect(second).toEqual(['a', 'b']);
    expect(model.history).toHaveLength(1);
    expect(await response.text()).toBe('ab');
  });

  it('serves two concurrent iterators from one run', async () => {
    const model = new MockModel();
    model.enqueue(['1', '2', '3']);
    const response = model.prompt('x');
    const collect = async () => {
      const out: string[] = [];
      for await (const chunk of response) out.push(chunk);
      return out;
    };
    const [one, two] = await Promise.all([collect(), collect()]);
    expect(one).toEqual(['1', '2', '3']);
    expect(two).toEqual(['1', '2', '3']);
    expect(model.history).toHaveLength(1);
  });

  it('iterates text only, while events() also yields reasoning', async () => {
    const model = new MockModel();
    model.enqueue([{ type: 'reasoning', chunk: 'thinking' }, 'answer']);
    const response = model.prompt('x');
    const events = [];
    for await (const event of response.events()) events.push(event.type);
    expect(events).toEqual(['reasoning', 'text']);
    expect(await response.text()).toBe('answer');
  });

  it('yields tool calls as events, keeps them out of the text, and lists them in order', async () => {
    const model = new ToolMockModel();
    const first = { id: 'call-1', name: 'now', arguments: {} };
    const second = { id: 'call-2', name: 'add', arguments: { a: 1, b: 2 } };
    model.enqueue([
      'Checking.',
      { type: 'tool_call', call: first },
      { type: 'tool_call', call: second },
    ]);
    const response = model.prompt('x');
    const types = [];
    for await (const event of response.events()) types.push(event.type);
    expect(types).toEqual(['text', 'tool_call', 'tool_call']);
    expect(await response.toolCalls()).toEqual([first, second]);
    const completed = await response;
    expect(completed.text()).toBe('Checking.');
    expect(completed.chunks()).toEqual(['Checking.']);
    expect(completed.toolCalls()).toEqual([first, second]);
  });

  it('has no tool calls when the model made none', async () => {
    const model = new MockModel();
    model.enqueue(['plain']);
    expect((await model.prompt('x')).toolCalls()).toEqual([]);
  });

  it('does nothing until iterated or awaited', async () => {
    const model = new MockModel();
    model.enqueue(['x']);
    const response = model.prompt('lazy');
    await Promise.resolve();
    expect(model.history).toHaveLength(0);
    await response;
    expect(model.history).toHaveLength(1);
  });

  it('fires onDone callbacks exactly once, and at once when registered after the end', async () => {
    const model = new MockModel();
    model.enqueue(['done']);
    const response = model.prompt('x');
    const before = vi.fn();
    await response.onDone(before);
    expect(before).not.toHaveBeenCalled();
    await response.text();
    await response.text();
    for await (const _ of response) {
      // replaying must not fire callbacks again
    }
    expect(before).toHaveBeenCalledTimes(1);
    expect(before.mock.calls[0]?.[0].text()).toBe('done');
    const after = vi.fn();
    await response.onDone(after);
    expect(after).toHaveBeenCalledTimes(1);
  });

  it('surfaces an error from execute() and stays unfinished', async () => {
    const model = new FailingModel();
    const response = model.prompt('x');
    const callback = vi.fn();
    await response.onDone(callback);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of response) seen.push(chunk);
      })(),
    ).rejects.toThrow(ModelError);
    expect(seen).toEqual(['partial']);
    expect(response.isDone).toBe(false);
    await expect(response.text()).rejects.toThrow('provider exploded');
    expect(callback).not.toHaveBeenCalled();
  });

  it('records usage, raw JSON and the resolved model that execute() sets', async () => {
    class RecordingModel extends MockModel {
      override async *execute(
        ...[, { response }]: Parameters<MockModel['execute']>
      ): AsyncGenerator<string, void, undefined> {
        yield 'x';
        response.setJson({ id: 'raw' });
        response.setResolvedModel('mock-2026');
        response.setUsage({ input: 3, output: 4, details: { cached: 1 } });
      }
    }
    const done = await new RecordingModel().prompt('x');
    expect(done.json()).toEqual({ id: 'raw' });
    expect(done.resolvedModel).toBe('mock-2026');
    expect(done.usage()).toEqual({ input: 3, output: 4, details: { cached: 1 } });
  });

  it('stops before execute() when the signal is already aborted', async () => {
    const model = new MockModel();
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(model.prompt('x', { signal: controller.signal }).text()).rejects.toThrow(
      'cancelled',
    );
    expect(model.history).toHaveLength(0);
  });

  it('passes stream, attempt and signal to execute()', async () => {
    const model = new MockModel();
    const controller = new AbortController();
    await model.prompt('x', { stream: false, attempt: 3, signal: controller.signal });
    const context = model.history[0]?.context;
    expect(context?.stream).toBe(false);
    expect(context?.attempt).toBe(3);
    expect(context?.signal).toBe(controller.signal);
  });

  it('gives each response a lowercase ULID id', () => {
    const model = new MockModel();
    const a = model.prompt('x');
    const b = model.prompt('y');
    expect(a.id).toMatch(/^[0-9a-hjkmnp-tv-z]{26}$/);
    expect(b.id > a.id).toBe(true);
  });
});

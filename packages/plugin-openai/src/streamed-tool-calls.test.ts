import { ModelError } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { StreamedToolCalls } from './streamed-tool-calls.ts';

describe('StreamedToolCalls', () => {
  it('orders calls by index whatever order their deltas came in, ids and names set not appended', () => {
    const calls = new StreamedToolCalls();
    calls.add([
      { index: 1, id: 'b', type: 'function', function: { name: 'second', arguments: '' } },
    ]);
    calls.add([
      { index: 0, id: 'a', type: 'function', function: { name: 'first', arguments: '{"n"' } },
    ]);
    // Some servers repeat the id and name in every delta of a call.
    calls.add([{ index: 1, id: 'b', function: { name: 'second', arguments: '{}' } }]);
    calls.add([{ index: 0, function: { arguments: ':1}' } }]);
    expect(calls.calls()).toEqual([
      { id: 'a', name: 'first', arguments: { n: 1 } },
      { id: 'b', name: 'second', arguments: {} },
    ]);
  });

  it('takes no argument text as no arguments, and refuses a call without a name', () => {
    const calls = new StreamedToolCalls();
    calls.add([{ index: 0, id: 'a', function: { name: 'now' } }]);
    expect(calls.calls()).toEqual([{ id: 'a', name: 'now', arguments: {} }]);
    const nameless = new StreamedToolCalls();
    nameless.add([{ index: 0, id: 'a', function: { arguments: '{}' } }]);
    expect(() => nameless.calls()).toThrow(ModelError);
    expect(() => nameless.calls()).toThrow("The stream's tool call 0 has no name");
  });
});

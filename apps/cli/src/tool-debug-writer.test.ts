import { describe, expect, it } from 'vitest';
import { formatToolCall, formatToolOutput, ToolDebugWriter } from './tool-debug-writer.ts';

function target(isTTY: boolean) {
  const written: string[] = [];
  return { isTTY, written, write: (text: string) => written.push(text) };
}

const add = { id: 'call-1', name: 'add', arguments: { a: 1, b: 2 } };
const count = { id: 'call-2', name: 'count_calls', arguments: { label: 'x' } };

describe('formatToolCall and formatToolOutput', () => {
  it('name the tool with its arguments as JSON, as llm’s Tool call: line', () => {
    expect(formatToolCall(add)).toBe('Tool call: add({"a":1,"b":2})');
    expect(formatToolCall({ id: 'c', name: 'now', arguments: {} })).toBe('Tool call: now({})');
  });

  it('indent JSON output pretty-printed, and other output as it is', () => {
    expect(formatToolOutput('3')).toBe('  3');
    expect(formatToolOutput('{"total":3,"parts":[1,2]}')).toBe(
      '  {\n    "total": 3,\n    "parts": [\n      1,\n      2\n    ]\n  }',
    );
    expect(formatToolOutput('line one\n\nline three')).toBe('  line one\n\n  line three');
  });
});

describe('ToolDebugWriter', () => {
  it('prints each call with its result once the result arrives, parallel calls paired', () => {
    const stderr = target(false);
    const writer = new ToolDebugWriter(stderr, true);
    writer.call(add);
    writer.call(count);
    expect(stderr.written).toEqual([]);
    writer.result({ tool_call_id: 'call-2', name: 'count_calls', output: 'x', exception: null });
    writer.result({ tool_call_id: 'call-1', name: 'add', output: '3', exception: null });
    writer.end();
    expect(stderr.written.join('')).toBe(
      '\nTool call: count_calls({"label":"x"})\n  x\n\n' +
        '\nTool call: add({"a":1,"b":2})\n  3\n\n',
    );
  });

  it('prints a failed tool’s exception after its output', () => {
    const stderr = target(false);
    const writer = new ToolDebugWriter(stderr, true);
    writer.call({ id: 'f', name: 'fail', arguments: {} });
    writer.result({ tool_call_id: 'f', name: 'fail', output: 'Error: boom', exception: 'boom' });
    expect(stderr.written.join('')).toBe(
      '\nTool call: fail({})\n  Error: boom\n  Exception: boom\n',
    );
  });

  it('prints the calls left without a result when the stream ends, and forgets them on a restart', () => {
    const stderr = target(false);
    const writer = new ToolDebugWriter(stderr, true);
    writer.call(count);
    writer.restart();
    writer.call(add);
    writer.end();
    writer.end();
    expect(stderr.written.join('')).toBe('\nTool call: add({"a":1,"b":2})\n');
  });

  it('colours the call, output and exception on a terminal, as llm does', () => {
    const stderr = target(true);
    const writer = new ToolDebugWriter(stderr, true);
    writer.call(add);
    writer.result({ tool_call_id: 'call-1', name: 'add', output: '3', exception: 'odd' });
    expect(stderr.written).toEqual([
      '\u001b[33m\u001b[1m\nTool call: add({"a":1,"b":2})\u001b[0m\n',
      '\u001b[32m\u001b[1m  3\u001b[0m\n',
      '\u001b[31m\u001b[1m  Exception: odd\u001b[0m\n',
    ]);
  });

  it('prints nothing without --td', () => {
    const stderr = target(true);
    const writer = new ToolDebugWriter(stderr, false);
    writer.call(add);
    writer.result({ tool_call_id: 'call-1', name: 'add', output: '3', exception: null });
    writer.end();
    expect(stderr.written).toEqual([]);
  });
});

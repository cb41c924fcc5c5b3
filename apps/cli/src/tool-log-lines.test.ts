import { describe, expect, it } from 'vitest';
import { toolLogLines } from './tool-log-lines.ts';

describe('toolLogLines', () => {
  it('lists the results a model call carried, then the calls it made, as llm logs does', () => {
    const lines = toolLogLines(
      [{ id: 'c2', name: 'add', arguments: { a: 3, b: 4 } }],
      [
        { tool_call_id: 'c1', name: 'add', output: '3', exception: null },
        { tool_call_id: 'f1', name: 'fail', output: 'Error: no\nat line 1', exception: 'no' },
      ],
    );
    expect(lines.join('\n')).toBe(
      [
        '',
        '### Tool results',
        '',
        '- **add**: `c1`',
        '',
        '    3',
        '- **fail**: `f1`',
        '',
        '    Error: no',
        '    at line 1',
        '',
        '    Exception: no',
        '',
        '### Tool calls',
        '',
        '- **add**: `c2`',
        '',
        '    Arguments: {"a":3,"b":4}',
      ].join('\n'),
    );
  });

  it('adds nothing for a model call without tools', () => {
    expect(toolLogLines(null, undefined)).toEqual([]);
    expect(toolLogLines([], [])).toEqual([]);
  });
});

import type { ToolListingBody } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { formatToolList, toolSignature } from './tool-list.ts';

const add: ToolListingBody = {
  name: 'add',
  description: 'Add two integers.',
  input_schema: {
    type: 'object',
    properties: { a: { type: 'integer' }, b: { type: ['integer', 'null'] } },
  },
  source: 'plugin:tools',
  hash: 'a1',
};

describe('formatToolList', () => {
  it('shows each tool’s arguments and source, its description indented, as llm tools does', () => {
    const now: ToolListingBody = {
      name: 'now',
      description: null,
      input_schema: { type: 'object' },
      source: 'mcp:clock',
      hash: 'b2',
    };
    expect(formatToolList([add, now])).toBe(
      'add(a: integer, b: integer | null) (plugin:tools)\n\n  Add two integers.\n\nnow() (mcp:clock)\n',
    );
  });

  it('names an argument without a type by its name alone', () => {
    expect(
      toolSignature({
        ...add,
        input_schema: { properties: { anything: {}, label: { type: 'string' } } },
      }),
    ).toBe('add(anything, label: string)');
  });
});

import { describe, expect, it } from 'vitest';
import { ToolDefinitionError } from './errors.ts';
import { pythonJsonDumps } from './python-json.ts';
import { type Tool, toolDefinition } from './tool.ts';
import { toolHash } from './tool-hash.ts';
import { validateTool, validateTools } from './tool-validation.ts';

const lookupCity: Tool = {
  name: 'lookup_city',
  description: 'Find a city by name — café',
  inputSchema: {
    type: 'object',
    properties: { name: { type: 'string' }, limit: { type: 'integer', minimum: 1 } },
    required: ['name'],
  },
  implementation: ({ name }) => `found ${String(name)}`,
};

describe('tool names', () => {
  it('accepts 1 to 64 letters, digits, _ and -', () => {
    for (const name of ['a', 'lookup_city', 'get-weather-2', 'X'.repeat(64)]) {
      expect(() => validateTool({ name, inputSchema: {} })).not.toThrow();
    }
  });

  it('refuses any other name with a ToolDefinitionError naming it', () => {
    for (const name of ['', 'has space', 'dotted.name', 'x'.repeat(65), 'café', 'a/b']) {
      const error = (() => {
        try {
          validateTool({ name, inputSchema: {} });
        } catch (thrown) {
          return thrown;
        }
      })();
      expect(error, name).toBeInstanceOf(ToolDefinitionError);
      expect((error as ToolDefinitionError).tool).toBe(name);
      expect((error as ToolDefinitionError).code).toBe('invalid-tool-definition');
      expect((error as ToolDefinitionError).blame).toBe('request');
    }
  });

  it('refuses an input schema that is not a JSON object', () => {
    for (const inputSchema of [null, [], 'object']) {
      expect(() => validateTool({ name: 'a', inputSchema } as unknown as Tool)).toThrow(
        'Tool a: its input schema must be a JSON object',
      );
    }
  });

  it('refuses two tools of one prompt with the same name', () => {
    expect(() => validateTools([lookupCity, { ...lookupCity }])).toThrow(
      new ToolDefinitionError('lookup_city', 'Two tools are named lookup_city'),
    );
  });
});

describe('toolHash', () => {
  it("is llm's Tool.hash(): sha256 of json.dumps({name, description, input_schema})", () => {
    // Both values computed by Python's llm rule (hashlib.sha256(json.dumps(to_hash))).
    expect(toolHash(lookupCity)).toBe(
      'b36f73836d529828746bf479249edda7ad4ef5f0c3a03fb023d3655854fc98f6',
    );
    expect(toolHash({ name: 'now', inputSchema: {} }, 'llmq-plugin-clock')).toBe(
      'd533ec07c11a33f51eeca28c0cef3e1b260ae428ea331a6916baabba907a21bc',
    );
  });

  it('ignores the implementation and limits, and changes with the definition', () => {
    const bare = toolDefinition(lookupCity);
    const limited: Tool = { ...bare, timeoutMs: 5, maxOutputBytes: 10 };
    expect(toolHash(bare)).toBe(toolHash(lookupCity));
    expect(toolHash(limited)).toBe(toolHash(lookupCity));
    expect(toolHash({ ...bare, description: 'other' })).not.toBe(toolHash(lookupCity));
    expect(toolHash(lookupCity, 'a-plugin')).not.toBe(toolHash(lookupCity));
  });
});

describe('toolDefinition', () => {
  it('keeps name, description and input schema only', () => {
    const limited: Tool = { ...lookupCity, timeoutMs: 1 };
    expect(toolDefinition(limited)).toEqual({
      name: 'lookup_city',
      description: 'Find a city by name — café',
      inputSchema: lookupCity.inputSchema,
    });
    expect(toolDefinition({ name: 'now', inputSchema: {} })).toEqual({
      name: 'now',
      inputSchema: {},
    });
  });
});

describe('pythonJsonDumps', () => {
  it("writes values with json.dumps's separators, in key order", () => {
    expect(pythonJsonDumps({ a: [1, 2.5, true, null], b: 'x' })).toBe(
      '{"a": [1, 2.5, true, null], "b": "x"}',
    );
    expect(pythonJsonDumps({ z: 1, a: 'é' })).toBe('{"z": 1, "a": "\\u00e9"}');
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConciseSchemaError,
  isMultiSchema,
  type JsonSchemaObject,
  multiSchema,
  parseConciseSchema,
} from './concise-schema.ts';

// Expected values were checked against llm's own schema_dsl() (llm/utils.py) with
// json.dumps(..., separators=(',', ':')); literals are written in llm's key order, and the
// JSON.stringify comparison makes that order part of the assertion.
function expectSameAsLlm(actual: JsonSchemaObject, expected: JsonSchemaObject): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

describe('parseConciseSchema, examples from llm docs/schemas.md', () => {
  it('reads comma-separated fields with an int', () => {
    expectSameAsLlm(parseConciseSchema('name, age int, one_sentence_bio'), {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        one_sentence_bio: { type: 'string' },
      },
      required: ['name', 'age', 'one_sentence_bio'],
    });
  });

  it('prints exactly what `llm schemas dsl "name, age int"` prints', () => {
    const llmOutput = `{
  "type": "object",
  "properties": {
    "name": {
      "type": "string"
    },
    "age": {
      "type": "integer"
    }
  },
  "required": [
    "name",
    "age"
  ]
}`;
    expect(JSON.stringify(parseConciseSchema('name, age int'), null, 2)).toBe(llmOutput);
  });

  it('reads `name, bio` and `name, bio, age int`', () => {
    expectSameAsLlm(parseConciseSchema('name, bio'), {
      type: 'object',
      properties: { name: { type: 'string' }, bio: { type: 'string' } },
      required: ['name', 'bio'],
    });
    expectSameAsLlm(parseConciseSchema('name, bio, age int'), {
      type: 'object',
      properties: { name: { type: 'string' }, bio: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'bio', 'age'],
    });
  });

  it('reads descriptions after a colon', () => {
    expectSameAsLlm(
      parseConciseSchema("name: the person's name, age int: their age, bio: a short bio"),
      {
        type: 'object',
        properties: {
          name: { type: 'string', description: "the person's name" },
          age: { type: 'integer', description: 'their age' },
          bio: { type: 'string', description: 'a short bio' },
        },
        required: ['name', 'age', 'bio'],
      },
    );
  });

  it('splits on newlines when there is one, so descriptions may hold commas', () => {
    const text = `name: the person's name
age int: their age
bio: a short bio, no more than three sentences`;
    expectSameAsLlm(parseConciseSchema(text), {
      type: 'object',
      properties: {
        name: { type: 'string', description: "the person's name" },
        age: { type: 'integer', description: 'their age' },
        bio: { type: 'string', description: 'a short bio, no more than three sentences' },
      },
      required: ['name', 'age', 'bio'],
    });
  });

  it('wraps the news-article people schema in items for --schema-multi', () => {
    const text = `
name: the person's name
organization: who they represent
role: their job title or role
learned: what we learned about them from this story
article_headline: the headline of the story
article_date: the publication date in YYYY-MM-DD
`;
    expectSameAsLlm(parseConciseSchema(text, { multi: true }), {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string', description: "the person's name" },
              organization: { type: 'string', description: 'who they represent' },
              role: { type: 'string', description: 'their job title or role' },
              learned: {
                type: 'string',
                description: 'what we learned about them from this story',
              },
              article_headline: { type: 'string', description: 'the headline of the story' },
              article_date: {
                type: 'string',
                description: 'the publication date in YYYY-MM-DD',
              },
            },
            required: [
              'name',
              'organization',
              'role',
              'learned',
              'article_headline',
              'article_date',
            ],
          },
        },
      },
      required: ['items'],
    });
  });
});

describe('parseConciseSchema, cases from llm tests/test_utils.py', () => {
  it('maps int, float, bool and str', () => {
    expectSameAsLlm(parseConciseSchema('name, age int, balance float, active bool'), {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer' },
        balance: { type: 'number' },
        active: { type: 'boolean' },
      },
      required: ['name', 'age', 'balance', 'active'],
    });
    expectSameAsLlm(parseConciseSchema('name str, description str'), {
      type: 'object',
      properties: { name: { type: 'string' }, description: { type: 'string' } },
      required: ['name', 'description'],
    });
  });

  it('reads comma-separated descriptions', () => {
    expectSameAsLlm(parseConciseSchema('name: full name, age int: years old'), {
      type: 'object',
      properties: {
        name: { type: 'string', description: 'full name' },
        age: { type: 'integer', description: 'years old' },
      },
      required: ['name', 'age'],
    });
  });

  it('skips blank and indented lines', () => {
    const text = `
        name
        bio
        age int
        `;
    expectSameAsLlm(parseConciseSchema(text), {
      type: 'object',
      properties: { name: { type: 'string' }, bio: { type: 'string' }, age: { type: 'integer' } },
      required: ['name', 'bio', 'age'],
    });
  });

  it('reads indented lines with descriptions holding commas', () => {
    const text = `
        name: the person's name
        age int: their age in years, must be positive
        bio: a short bio, no more than three sentences
        `;
    expectSameAsLlm(parseConciseSchema(text), {
      type: 'object',
      properties: {
        name: { type: 'string', description: "the person's name" },
        age: { type: 'integer', description: 'their age in years, must be positive' },
        bio: { type: 'string', description: 'a short bio, no more than three sentences' },
      },
      required: ['name', 'age', 'bio'],
    });
  });

  it('ignores extra whitespace', () => {
    expectSameAsLlm(parseConciseSchema("  name  ,  age   int  :  person's age  "), {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', description: "person's age" },
      },
      required: ['name', 'age'],
    });
  });

  it('wraps in items with multi', () => {
    expectSameAsLlm(parseConciseSchema('name, age int: The age', { multi: true }), {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              age: { type: 'integer', description: 'The age' },
            },
            required: ['name', 'age'],
          },
        },
      },
      required: ['items'],
    });
  });

  it.each([
    [':just a description', ':just a description'],
    ['name, :description', ':description'],
    [':', ':'],
  ])('rejects %j: the field %j has no name', (text, field) => {
    expect(() => parseConciseSchema(text)).toThrow(ConciseSchemaError);
    expect(() => parseConciseSchema(text)).toThrow(
      `The concise schema field ${JSON.stringify(field)} is missing a name before ":"`,
    );
  });
});

describe('parseConciseSchema, edge cases checked against llm', () => {
  it('leaves an unknown or miscased type as a string, as llm does', () => {
    expectSameAsLlm(parseConciseSchema('age integer, score INT, tags list'), {
      type: 'object',
      properties: { age: { type: 'string' }, score: { type: 'string' }, tags: { type: 'string' } },
      required: ['age', 'score', 'tags'],
    });
  });

  it('ignores words after the type and an empty description', () => {
    expectSameAsLlm(parseConciseSchema('age int extra words: d'), {
      type: 'object',
      properties: { age: { type: 'integer', description: 'd' } },
      required: ['age'],
    });
    expectSameAsLlm(parseConciseSchema('name:, size int:'), {
      type: 'object',
      properties: { name: { type: 'string' }, size: { type: 'integer' } },
      required: ['name', 'size'],
    });
  });

  it('splits a description only at the first colon', () => {
    expectSameAsLlm(parseConciseSchema('url: see http://example.com, x'), {
      type: 'object',
      properties: {
        url: { type: 'string', description: 'see http://example.com' },
        x: { type: 'string' },
      },
      required: ['url', 'x'],
    });
  });

  it('keeps a repeated name in its first place with its last definition, listed twice', () => {
    expectSameAsLlm(parseConciseSchema('name, name int: again'), {
      type: 'object',
      properties: { name: { type: 'integer', description: 'again' } },
      required: ['name', 'name'],
    });
  });

  it('treats __proto__ as an ordinary field name', () => {
    const result = parseConciseSchema('__proto__, constructor int');
    expect(JSON.stringify(result)).toBe(
      '{"type":"object","properties":{"__proto__":{"type":"string"},"constructor":{"type":"integer"}},"required":["__proto__","constructor"]}',
    );
    expect(Object.getPrototypeOf(result.properties)).toBe(Object.prototype);
  });

  it('reads CRLF line endings', () => {
    expectSameAsLlm(parseConciseSchema('a\r\nb int\r\n'), {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'integer' } },
      required: ['a', 'b'],
    });
  });

  it("uses Python's whitespace, not JavaScript's", () => {
    expect(JSON.stringify(parseConciseSchema('name\u001fint'))).toBe(
      '{"type":"object","properties":{"name":{"type":"integer"}},"required":["name"]}',
    );
    expect(JSON.stringify(parseConciseSchema('\ufeffname int'))).toBe(
      '{"type":"object","properties":{"\ufeffname":{"type":"integer"}},"required":["\ufeffname"]}',
    );
  });

  it('differs from llm only in putting array-index names first', () => {
    // llm: {"name":...,"2":...}; JavaScript objects always order integer keys first.
    const result = parseConciseSchema('name, 2 int');
    expect(result.required).toEqual(['name', '2']);
    expect(JSON.stringify(result.properties)).toBe(
      '{"2":{"type":"integer"},"name":{"type":"string"}}',
    );
  });
});

describe('parseConciseSchema, empty definitions', () => {
  // llm returns {"type":"object","properties":{},"required":[]} for these; no model can
  // fill such a schema usefully, so here they are errors.
  it.each(['', '   ', ' , ,', '\n\n  \n'])('rejects %j', (text) => {
    expect(() => parseConciseSchema(text)).toThrow(ConciseSchemaError);
    expect(() => parseConciseSchema(text)).toThrow('The concise schema has no fields');
  });

  it('throws an Error named ConciseSchemaError', () => {
    try {
      parseConciseSchema('');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).name).toBe('ConciseSchemaError');
    }
  });
});

describe('multiSchema', () => {
  it('wraps a full JSON schema as llm --schema-multi does', () => {
    const schema = {
      type: 'object',
      properties: { title: { type: 'string', maxLength: 80 } },
      required: ['title'],
      additionalProperties: false,
    };
    const wrapped = multiSchema(schema);
    expect(JSON.stringify(wrapped)).toBe(
      '{"type":"object","properties":{"items":{"type":"array","items":{"type":"object","properties":{"title":{"type":"string","maxLength":80}},"required":["title"],"additionalProperties":false}}},"required":["items"]}',
    );
  });

  it('equals the multi option of parseConciseSchema', () => {
    expectSameAsLlm(
      multiSchema(parseConciseSchema('name, age int')),
      parseConciseSchema('name, age int', { multi: true }),
    );
  });
});

describe('isMultiSchema', () => {
  it('knows the wrapper multiSchema builds, from the concise syntax or a JSON schema', () => {
    expect(isMultiSchema(parseConciseSchema('name', { multi: true }))).toBe(true);
    expect(isMultiSchema(multiSchema({ type: 'string' }))).toBe(true);
  });

  it('takes no other schema for one, an items array property alone included', () => {
    const item = { type: 'object', properties: { name: { type: 'string' } } };
    const { required: _required, ...optionalItems } = multiSchema(item);
    for (const schema of [
      item,
      parseConciseSchema('items'),
      optionalItems,
      { ...multiSchema(item), properties: { items: { type: 'array' }, more: {} } },
      { type: 'array', items: item },
      'name',
      null,
    ]) {
      expect(isMultiSchema(schema), JSON.stringify(schema)).toBe(false);
    }
  });
});

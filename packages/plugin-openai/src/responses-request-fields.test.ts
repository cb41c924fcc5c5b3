import { describe, expect, it } from 'vitest';
import { responsesRequestFields } from './responses-request-fields.ts';

const zone = { zone: { type: 'string' } };

describe('responsesRequestFields', () => {
  it('sends nothing to be stored, and only the options given', () => {
    expect(responsesRequestFields({}, undefined, [], false)).toEqual({ store: false });
  });

  it('maps the chat option names to the Responses fields', () => {
    expect(
      responsesRequestFields(
        {
          max_completion_tokens: 300,
          reasoning_effort: 'high',
          verbosity: 'low',
          service_tier: 'flex',
          parallel_tool_calls: false,
          tool_choice: 'required',
        },
        undefined,
        [{ name: 'now', inputSchema: { type: 'object', properties: zone, required: ['zone'] } }],
        true,
      ),
    ).toEqual({
      store: false,
      max_output_tokens: 300,
      service_tier: 'flex',
      reasoning: { effort: 'high', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      text: { verbosity: 'low' },
      tools: [
        {
          type: 'function',
          name: 'now',
          parameters: {
            type: 'object',
            properties: zone,
            required: ['zone'],
            additionalProperties: false,
          },
          strict: true,
        },
      ],
      tool_choice: 'required',
      parallel_tool_calls: false,
    });
  });

  it('lets a schema win over json_object, as on the chat path, strict as strict_schema says', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    expect(
      responsesRequestFields({ json_object: true, strict_schema: false }, schema, [], false).text,
    ).toEqual({ format: { type: 'json_schema', name: 'output', schema, strict: false } });
  });

  it('asks a reasoning model for the summary reasoning_summary names, none for none', () => {
    expect(responsesRequestFields({}, undefined, [], true).reasoning).toEqual({ summary: 'auto' });
    expect(
      responsesRequestFields({ reasoning_summary: 'detailed' }, undefined, [], true).reasoning,
    ).toEqual({ summary: 'detailed' });
    // An organisation OpenAI has not verified for summaries is refused any `summary` at all.
    expect(
      responsesRequestFields(
        { reasoning_summary: 'none', reasoning_effort: 'low' },
        undefined,
        [],
        true,
      ),
    ).toEqual({
      store: false,
      reasoning: { effort: 'low' },
      include: ['reasoning.encrypted_content'],
    });
  });
});

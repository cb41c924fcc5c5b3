import { countRowsByTable } from '@llmq/db/reads';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const api = useApi();

const hostileString = fc.oneof(
  fc.string(),
  fc.constantFrom('\u0000', 'data:,x', 'data:image/png;base64,!!', 'file:///etc/passwd', ''),
);

const part = fc.oneof(
  fc.record({ type: fc.constant('text'), text: hostileString }),
  fc.record({
    type: fc.constant('image_url'),
    image_url: fc.record({
      url: fc.oneof(hostileString, fc.constant('data:image/png;base64,AAAA')),
    }),
  }),
  fc.record({
    type: fc.constant('input_audio'),
    input_audio: fc.record({ data: hostileString, format: fc.constantFrom('wav', 'mp3', 'ogg') }),
  }),
  fc.record({ type: fc.constant('file'), file: fc.record({ file_id: hostileString }) }),
  fc.jsonValue(),
);

const message = fc.oneof(
  fc.record({
    role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool', 'nobody'),
    content: fc.oneof(hostileString, fc.array(part, { maxLength: 3 }), fc.constant(null)),
  }),
  fc.jsonValue(),
);

const chatBody = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.constantFrom('{', '{"model":', 'null', '', '\u0000'),
  fc
    .record(
      {
        model: fc.oneof(fc.constantFrom('echo', 'lv'), hostileString),
        messages: fc.array(message, { maxLength: 4 }),
        stream: fc.oneof(fc.boolean(), fc.jsonValue()),
        temperature: fc.oneof(fc.double(), fc.jsonValue()),
        max_tokens: fc.oneof(fc.integer(), fc.jsonValue()),
        response_format: fc.jsonValue(),
        n: fc.jsonValue(),
        delay_ms: fc.jsonValue(),
      },
      { requiredKeys: ['model', 'messages'] },
    )
    .map((value) => JSON.stringify(value)),
);

const responsesPart = fc.oneof(
  fc.record({ type: fc.constantFrom('input_text', 'output_text'), text: hostileString }),
  fc.record(
    {
      type: fc.constant('input_image'),
      image_url: fc.oneof(hostileString, fc.constant('data:image/png;base64,AAAA')),
      file_id: hostileString,
      detail: fc.jsonValue(),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    { type: fc.constant('input_file'), file_data: hostileString, file_id: hostileString },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('refusal'), refusal: hostileString }),
  fc.jsonValue(),
);

const inputItem = fc.oneof(
  fc.record(
    {
      type: fc.constant('message'),
      role: fc.constantFrom('system', 'developer', 'user', 'assistant', 'nobody'),
      content: fc.oneof(hostileString, fc.array(responsesPart, { maxLength: 3 })),
    },
    { requiredKeys: ['role', 'content'] },
  ),
  fc.record({
    type: fc.constant('function_call'),
    call_id: hostileString,
    name: hostileString,
    arguments: fc.oneof(hostileString, fc.constant('{"city":"Porto"}')),
  }),
  fc.record({
    type: fc.constant('function_call_output'),
    call_id: hostileString,
    output: fc.oneof(hostileString, fc.array(responsesPart, { maxLength: 2 })),
  }),
  fc.record({ type: fc.constant('reasoning'), summary: fc.jsonValue() }),
  fc.jsonValue(),
);

/** Mostly a value of the field's own type; now and then anything, so each check is reached. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 19 }, { arbitrary: fc.jsonValue(), weight: 1 });

const plainMessage = fc.record({
  role: fc.constantFrom('user', 'assistant', 'system'),
  content: fc.string({ minLength: 1 }),
});

const responsesBody = fc.oneof(
  { arbitrary: fc.jsonValue().map((value) => JSON.stringify(value)), weight: 1 },
  { arbitrary: fc.constantFrom('{', '{"input":', 'null', '', '\u0000'), weight: 1 },
  {
    weight: 8,
    arbitrary: fc
      .record(
        {
          model: mostly(
            fc.oneof({ arbitrary: fc.constantFrom('echo', 'lv'), weight: 9 }, hostileString),
          ),
          input: mostly(
            fc.oneof(
              { arbitrary: fc.string({ minLength: 1 }), weight: 4 },
              hostileString,
              fc.array(fc.oneof(plainMessage, plainMessage, inputItem), {
                minLength: 1,
                maxLength: 4,
              }),
            ),
          ),
          instructions: mostly(fc.string()),
          // Background mostly: the answer then comes at once, whatever the prompt does after.
          background: mostly(fc.constant(true)),
          tools: mostly(
            fc.constant([
              { type: 'function', name: 'get_weather', parameters: { type: 'object' } },
            ]),
          ),
          tool_choice: mostly(fc.constantFrom('none', 'auto', 'required')),
          text: mostly(
            fc.record({
              format: fc.oneof(
                fc.record({ type: fc.constantFrom('text', 'json_object') }),
                fc.record({
                  type: fc.constant('json_schema'),
                  name: hostileString,
                  schema: fc.oneof(
                    fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
                    fc.constant({ type: 'object', properties: { a: { type: 'string' } } }),
                  ),
                }),
              ),
            }),
          ),
          reasoning: mostly(fc.record({ effort: fc.constantFrom('low', 'high', 'nonsense') })),
          max_output_tokens: mostly(fc.integer({ min: -2, max: 5000 })),
          metadata: mostly(fc.dictionary(fc.string(), fc.string(), { maxKeys: 20 })),
          store: mostly(fc.boolean()),
          delay_ms: mostly(fc.integer({ min: -1, max: 50 })),
        },
        { requiredKeys: ['model', 'input', 'background'] },
      )
      .chain((value) =>
        // Now and then a previous response, which is never found: a refusal of its own.
        fc
          .oneof(
            { arbitrary: fc.constant(null), weight: 7 },
            {
              arbitrary: fc.oneof(hostileString, fc.stringMatching(/^resp_[0-9a-z]{0,30}$/)),
              weight: 1,
            },
          )
          .map((previous) =>
            JSON.stringify(
              previous === null ? value : { ...value, previous_response_id: previous },
            ),
          ),
      ),
  },
);

async function countRows() {
  return countRowsByTable(api().deps.services.db);
}

describe('OpenAI facade under hostile input', () => {
  it('answers every chat body with a 2xx or an OpenAI-shaped 4xx, never a 5xx or a hang, and writes nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(chatBody, async (body) => {
        const before = await countRows();
        const answer = await fetch(`${api().baseUrl}/openai/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await answer.text();
        expect(answer.status, `${body} → ${text}`).toBeLessThan(500);
        if (answer.status >= 400) {
          const error = JSON.parse(text).error;
          expect(typeof error.message).toBe('string');
          expect(typeof error.type).toBe('string');
          const after = await countRows();
          // Uploaded bytes may stay (content-addressed, harmless); no prompt, turn or conversation.
          expect(after.responses, body).toBe(before.responses);
          expect(after.conversations, body).toBe(before.conversations);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers every /responses body with a 2xx or an OpenAI-shaped 4xx, never a 5xx or a hang, and writes nothing when it refuses', async () => {
    await fc.assert(
      fc.asyncProperty(responsesBody, async (body) => {
        const before = await countRows();
        const answer = await fetch(`${api().baseUrl}/openai/v1/responses`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(15_000),
        });
        const text = await answer.text();
        expect(answer.status, `${body} → ${text}`).toBeLessThan(500);
        if (answer.status >= 400) {
          const error = JSON.parse(text).error;
          expect(typeof error.message).toBe('string');
          expect(typeof error.type).toBe('string');
          const after = await countRows();
          expect(after.responses, body).toBe(before.responses);
          expect(after.conversations, body).toBe(before.conversations);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('answers hostile batch creation and file lookups with 4xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), hostileString, async (body, id) => {
        const create = await fetch(`${api().baseUrl}/openai/v1/batches`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        expect(create.status).toBeGreaterThanOrEqual(400);
        expect(create.status).toBeLessThan(500);
        for (const path of [
          `/files/${encodeURIComponent(id)}`,
          `/batches/${encodeURIComponent(id)}`,
        ]) {
          const answer = await fetch(`${api().baseUrl}/openai/v1${path}`);
          expect(answer.status, path).toBeLessThan(500);
        }
      }),
      { numRuns: 60 },
    );
  });
});

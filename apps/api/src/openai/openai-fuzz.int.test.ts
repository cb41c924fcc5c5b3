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

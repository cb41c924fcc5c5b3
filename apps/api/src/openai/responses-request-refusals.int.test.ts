import { countRowsByTable } from '@llmq/db/reads';
import OpenAI, { BadRequestError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-responses-request-refusals';
const api = useApi({ adminKeys: [adminKey] });

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});

const image = { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' };
const file = { type: 'input_file', file_data: 'data:application/pdf;base64,JVBE' };

/** The request's refusal, and that it wrote no prompt or conversation. */
async function refusedWithoutWriting(body: Record<string, unknown>) {
  const before = await countRowsByTable(api().deps.services.db);
  const error = await openai.responses
    .create({ model: 'echo', ...body } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
    .then(
      () => undefined,
      (reason: unknown) => reason,
    );
  const after = await countRowsByTable(api().deps.services.db);
  expect(after.responses).toBe(before.responses);
  expect(after.conversations).toBe(before.conversations);
  expect(error).toBeInstanceOf(BadRequestError);
  return error as BadRequestError;
}

describe('OpenAI facade: Responses requests refused', () => {
  it.each([
    ['system', image, 'input_image'],
    ['developer', file, 'input_file'],
    ['assistant', image, 'input_image'],
  ])('refuses an attachment in a %s item, naming the part', async (role, part, type) => {
    const error = await refusedWithoutWriting({
      input: [
        { role, content: [{ type: 'input_text', text: 'look' }, part] },
        { role: 'user', content: 'hello' },
      ],
    });
    expect(error.param).toBe('input[0].content[1]');
    expect(error.message).toContain(`A ${role} item may hold only text: send the ${type}`);
  });

  it('refuses metadata past OpenAI’s limits, naming metadata, and takes it at the limits', async () => {
    const pairs = (count: number) =>
      Object.fromEntries(Array.from({ length: count }, (_, index) => [`key${index}`, 'v']));
    for (const metadata of [pairs(17), { ['k'.repeat(65)]: 'v' }, { key: 'v'.repeat(513) }]) {
      const error = await refusedWithoutWriting({ input: 'hi', metadata });
      expect(error.param).toBe('metadata');
    }
    const atLimits = { ...pairs(15), ['k'.repeat(64)]: 'v'.repeat(512) };
    const response = await openai.responses.create({
      model: 'echo',
      input: 'hi',
      metadata: atLimits,
    });
    expect(response.metadata).toEqual(atLimits);
  });
});

import OpenAI, { BadRequestError } from 'openai';
import { beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-responses-queries';
const api = useApi({ adminKeys: [adminKey] });

let openai: OpenAI;
beforeAll(() => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
});

/** A GET of the facade and its OpenAI-shaped error, as a client other than the SDK reads it. */
async function refusal(path: string) {
  const answer = await fetch(`${api().baseUrl}/openai/v1${path}`, {
    headers: { authorization: `Bearer ${adminKey}` },
  });
  const body = (await answer.json()) as { error: { param: string | null; type: string } };
  return { status: answer.status, ...body.error };
}

describe('OpenAI facade: the queries of the response routes', () => {
  it('names the query parameter that is wrong, and refuses an empty starting_after', async () => {
    const { id } = await openai.responses.create({ model: 'echo', input: 'query me' });
    expect(await refusal(`/responses/${id}?stream=maybe`)).toMatchObject({
      status: 400,
      param: 'stream',
      type: 'invalid_request_error',
    });
    for (const startingAfter of ['', 'abc', '1.5', '-2', '1e3']) {
      expect(
        await refusal(`/responses/${id}?stream=true&starting_after=${startingAfter}`),
        startingAfter,
      ).toMatchObject({ status: 400, param: 'starting_after' });
    }
    expect(await refusal(`/responses/${id}/input_items?limit=0`)).toMatchObject({
      status: 400,
      param: 'limit',
    });
    // A good query still reads the response.
    expect((await openai.responses.retrieve(id)).id).toBe(id);
  });

  it('refuses an after cursor that names none of the response’s input items', async () => {
    const { id } = await openai.responses.create({
      model: 'echo',
      input: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'an answer' },
        { role: 'user', content: 'second' },
      ],
    });
    const items = await openai.responses.inputItems.list(id);
    const first = items.data[0]?.id ?? '';
    // A known cursor pages on from it: nothing after the only item.
    expect((await openai.responses.inputItems.list(id, { after: first })).data).toEqual([]);
    const unknown = openai.responses.inputItems.list(id, { after: 'msg_nowhere' });
    await expect(unknown).rejects.toBeInstanceOf(BadRequestError);
    await expect(unknown).rejects.toMatchObject({ status: 400, param: 'after' });
  });
});

import { AsyncModel } from '@llmq/core';
import { countRowsByTable } from '@llmq/db/reads';
import { makePng, waitFor } from '@llmq/testing';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { problemOf, useApi } from '../server/api.fixture.ts';

const api = useApi();

/** A model that answers text only: what a schema must be refused for. */
class PlainModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'plain-text';
  readonly optionsSchema = z.object({});
  async *execute(): AsyncGenerator<string, void, undefined> {
    yield 'plain';
  }
}

interface Frame {
  id: string;
  event: string;
  data: Record<string, unknown>;
}

async function post(path: string, body: unknown): Promise<Response> {
  return fetch(`${api().baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function json<T>(response: Response, status: number): Promise<T> {
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** Follow a prompt's SSE stream over the socket to its end. */
async function follow(id: string, lastEventId?: string): Promise<Frame[]> {
  const response = await fetch(`${api().baseUrl}/v1/prompts/${id}/stream`, {
    headers: lastEventId ? { 'last-event-id': lastEventId } : {},
  });
  const frames: Frame[] = [];
  const parser = createParser({
    onEvent: (message) =>
      frames.push({
        id: message.id ?? '',
        event: message.event ?? 'message',
        data: JSON.parse(message.data),
      }),
  });
  const decoder = new TextDecoder();
  for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(bytes, { stream: true }));
  }
  return frames;
}

async function ended(id: string) {
  await waitFor(async () => {
    const prompt = await api().client.getPrompt(id);
    return ['succeeded', 'failed', 'cancelled'].includes(prompt.status);
  }, `prompt ${id} to end`);
  return api().client.getPrompt(id);
}

async function queuedNothing(action: () => Promise<void>): Promise<void> {
  const { services } = api();
  const states = ['waiting', 'delayed', 'prioritized', 'active', 'completed', 'failed'] as const;
  const rowsBefore = await countRowsByTable(services.database.db);
  const jobsBefore = await services.queue.jobCounts(...states);
  await action();
  expect(await countRowsByTable(services.database.db)).toEqual(rowsBefore);
  expect(await services.queue.jobCounts(...states)).toEqual(jobsBefore);
}

describe('schemas on batches', () => {
  it('extracts data from 500 uploaded files with a concise schema; a mismatching item fails after 2 attempts', async () => {
    const { client } = api();
    const files: string[] = [];
    for (let index = 0; index < 25; index++) {
      files.push(
        (await client.uploadAttachment(makePng(index * 9, 30, 200 - index), 'image/png')).id,
      );
    }
    const created = await json<{ id: string; schema_id: string }>(
      await post('/v1/batches', {
        model: 'echo',
        prompt: 'extract the invoice',
        schema: 'vendor, total float: the amount due, paid bool',
        items: Array.from({ length: 500 }, (_, index) =>
          index === 123
            ? { custom_id: 'broken', prompt: '{"vendor": "x", "total": "12", "paid": true}' }
            : { custom_id: `invoice-${index}`, attachments: [{ id: files[index % files.length] }] },
        ),
      }),
      201,
    );
    expect(created.schema_id).toMatch(/^[0-9a-f]{64}$/);
    await waitFor(async () => {
      const batch = await client.getBatch(created.id);
      return batch.status === 'completed';
    }, 'the batch to complete');
    const text = await (await fetch(`${api().baseUrl}/v1/batches/${created.id}/results`)).text();
    const lines = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(500);
    for (const line of lines) {
      if (line.custom_id === 'broken') continue;
      expect(line.status).toBe('succeeded');
      const data = line.data as Record<string, unknown>;
      expect(Object.keys(data).sort()).toEqual(['paid', 'total', 'vendor']);
      expect(typeof data.vendor).toBe('string');
      expect(typeof data.total).toBe('number');
      expect(typeof data.paid).toBe('boolean');
      expect(JSON.parse(line.text as string)).toEqual(data);
    }
    // Each file's data is its own: the strings are seeded by the file's id.
    expect(
      new Set(lines.map((line) => (line.data as { vendor?: string } | null)?.vendor)).size,
    ).toBe(files.length + 1);
    const broken = lines.find((line) => line.custom_id === 'broken');
    expect(broken).toMatchObject({
      status: 'failed',
      data: null,
      error: { kind: 'SchemaMismatchError' },
    });
    if (!broken) throw new Error('the broken item has no result line');
    expect((broken.error as { message: string }).message).toContain('/total must be number');
    const prompt = await client.getPrompt(broken.prompt_id as string);
    expect(prompt).toMatchObject({ attempts: 2, schema_id: created.schema_id });

    // ?schema= lists the batch's prompts, and only them.
    await json(await post('/v1/prompts', { model: 'echo', prompt: 'no schema here' }), 202);
    const page = await json<{ data: Array<{ schema_id: string }>; next_cursor: string | null }>(
      await fetch(`${api().baseUrl}/v1/prompts?schema=${created.schema_id}&limit=500`),
      200,
    );
    expect(page.data).toHaveLength(500);
    expect(page.data.every((each) => each.schema_id === created.schema_id)).toBe(true);

    // The stored schema is listed and shown, and its id works as the schema of a new prompt.
    const shown = await json<{ id: string; schema: Record<string, unknown> }>(
      await fetch(`${api().baseUrl}/v1/schemas/${created.schema_id}`),
      200,
    );
    expect(shown.schema).toMatchObject({ required: ['vendor', 'total', 'paid'] });
    const listed = await json<{ data: Array<{ id: string }> }>(
      await fetch(`${api().baseUrl}/v1/schemas`),
      200,
    );
    expect(listed.data.map((each) => each.id)).toContain(created.schema_id);
    const again = await json<{ id: string }>(
      await post('/v1/prompts', { model: 'echo', prompt: 'x', schema: created.schema_id }),
      202,
    );
    expect((await ended(again.id)).schema_id).toBe(created.schema_id);
  });

  it('gives an item its own schema over the batch’s, and names an item whose schema is bad', async () => {
    const created = await json<{ id: string; schema_id: string }>(
      await post('/v1/batches', {
        model: 'echo',
        prompt: 'go',
        schema: 'name',
        schema_multi: true,
        items: [
          { custom_id: 'a' },
          { custom_id: 'b', schema: { type: 'object', properties: { n: { type: 'integer' } } } },
        ],
      }),
      201,
    );
    await waitFor(
      async () => (await api().client.getBatch(created.id)).status === 'completed',
      'the batch',
    );
    const text = await (await fetch(`${api().baseUrl}/v1/batches/${created.id}/results`)).text();
    const [first, second] = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(first.data).toEqual({ items: [{ name: 'name' }] });
    expect(second.data).toEqual({ n: 0 });

    const refused = await problemOf(
      await post('/v1/batches', {
        model: 'echo',
        items: [{ prompt: 'ok' }, { prompt: 'bad', schema: { type: 'nope' } }],
      }),
      422,
    );
    expect(refused.errors?.[0]).toMatchObject({ path: 'items[1]' });
    expect(refused.errors?.[0]?.message).toMatch(/^schema: The JSON Schema does not compile/);
  });
});

describe('refused schemas', () => {
  it('refuses a schema for a model without support, naming those with it, and queues nothing', async () => {
    const { services } = api();
    if (!services.models.has('plain-text')) services.models.register(new PlainModel());
    await queuedNothing(async () => {
      const problem = await problemOf(
        await post('/v1/prompts', { model: 'plain-text', prompt: 'hi', schema: 'name' }),
        422,
      );
      expect(problem.type).toBe('urn:llmq:problem:schema-not-supported');
      expect(problem.detail).toContain('plain-text');
      expect(problem.detail).toMatch(/models that do: .*echo/);
      const batch = await problemOf(
        await post('/v1/batches', {
          model: 'plain-text',
          schema: 'name',
          items: [{ prompt: 'x' }],
        }),
        422,
      );
      expect(batch.type).toBe('urn:llmq:problem:schema-not-supported');
    });
  });

  it.each([
    ['an unknown stored id', 'a'.repeat(64), 422, 'unknown-schema', /GET \/v1\/schemas/],
    ['a concise schema that does not parse', ': nameless', 422, 'invalid-schema', /missing a name/],
    [
      'a JSON Schema that does not compile',
      { type: 'object', properties: { a: { type: 'integer', minimum: 'one' } } },
      422,
      'invalid-schema',
      /does not compile: .*minimum/,
    ],
    [
      'a NUL character',
      { type: 'object', description: 'a\u0000' },
      422,
      'validation-failed',
      /NUL/,
    ],
    ['schema_multi without a schema', undefined, 422, 'invalid-request', /give the schema/],
  ])('refuses %s with its problem and queues nothing', async (_, schema, status, slug, detail) => {
    await queuedNothing(async () => {
      const body =
        schema === undefined
          ? { model: 'echo', prompt: 'hi', schema_multi: true }
          : { model: 'echo', prompt: 'hi', schema };
      const problem = await problemOf(await post('/v1/prompts', body), status);
      expect(problem.type).toBe(`urn:llmq:problem:${slug}`);
      expect(JSON.stringify(problem)).toMatch(detail);
    });
  });

  it('answers 404 for a schema nobody uses, and 422 for a malformed id', async () => {
    const missing = await problemOf(
      await fetch(`${api().baseUrl}/v1/schemas/${'b'.repeat(64)}`),
      404,
    );
    expect(missing.type).toBe('urn:llmq:problem:schema-not-found');
    await problemOf(await fetch(`${api().baseUrl}/v1/schemas/NOT-HEX`), 422);
  });
});

describe('data and reasoning on a prompt', () => {
  it('streams reasoning apart from the chunks, in order, resumable, and stores it', async () => {
    const reasoning = 'Let me think about the invoice. It has a vendor and a total.';
    const accepted = await json<{ id: string }>(
      await post('/v1/prompts', {
        model: 'echo',
        prompt: 'extract',
        schema: {
          type: 'object',
          properties: { vendor: { type: 'string' } },
          required: ['vendor'],
        },
        options: { reasoning, chunk_size: 6, delay_ms: 2 },
      }),
      202,
    );
    const frames = await follow(accepted.id);
    const names = frames.map((frame) => frame.event);
    expect(names.filter((name) => name === 'reasoning').length).toBeGreaterThan(0);
    expect(names.lastIndexOf('reasoning')).toBeLessThan(names.indexOf('chunk'));
    const joined = (name: string, list: Frame[]) =>
      list
        .filter((frame) => frame.event === name)
        .map((frame) => frame.data.text)
        .join('');
    expect(joined('reasoning', frames)).toBe(reasoning);
    expect(frames.at(-1)).toMatchObject({ event: 'done', data: { data: { vendor: 'vendor' } } });

    // A resume after the first reasoning event gets exactly the rest.
    const firstReasoning = frames.findIndex((frame) => frame.event === 'reasoning');
    const resumed = await follow(accepted.id, frames[firstReasoning]?.id);
    expect(resumed.map((frame) => frame.id)).toEqual(
      frames.slice(firstReasoning + 1).map((frame) => frame.id),
    );

    const stored = await api().client.getPrompt(accepted.id);
    expect(stored).toMatchObject({ reasoning, data: { vendor: 'vendor' } });

    // With the log gone, the stream is served from the row: reasoning, then the text, then done.
    await api().services.redis.del(api().services.events.streamKey(accepted.id));
    const fromRow = await follow(accepted.id);
    expect(fromRow.map((frame) => frame.event)).toEqual(['status', 'reasoning', 'chunk', 'done']);
    expect(fromRow[1]?.data.text).toBe(reasoning);
    expect(fromRow[3]?.data).toMatchObject({ data: { vendor: 'vendor' } });
  });
});

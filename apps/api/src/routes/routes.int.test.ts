import { sampleFiles } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';

const api = useApi({
  maxAttachmentBytes: 64 * 1024,
  maxInlineAttachmentBytes: 1024,
  maxJsonBytes: 8 * 1024,
});
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function upload(bytes: Uint8Array, type = 'application/octet-stream') {
  const response = await api().app.request('/v1/attachments', {
    method: 'POST',
    body: bytes,
    headers: { 'content-type': type },
  });
  return {
    response,
    body: (await response.clone().json()) as {
      id: string;
      type: string;
      size: number;
      created: boolean;
    },
  };
}

describe('errors are problem+json that say what was wrong', () => {
  it('answers malformed JSON with 400', async () => {
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', '{"model": "echo",'),
      400,
    );
    expect(problem.detail).toMatch(/Malformed JSON/);
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await api().app.request('/v1/prompts', {
      method: 'POST',
      body: 'model=echo',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const problem = await problemOf(response, 415);
    expect(problem.detail).toContain('Content-Type: application/json');
  });

  it('answers an unknown model with 404 saying where the list is', async () => {
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', { model: 'gpt-9', prompt: 'x' }),
      404,
    );
    expect(problem).toMatchObject({
      type: 'urn:llmq:problem:unknown-model',
      title: 'Unknown model',
    });
    expect(problem.detail).toBe(
      'Unknown model: gpt-9. GET /v1/models lists the models this server has.',
    );
  });

  it('answers an unsupported attachment type with 422 naming the accepted types', async () => {
    const { body } = await upload(new TextEncoder().encode('plain words'), 'text/plain');
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', {
        model: 'echo',
        prompt: 'read this',
        attachments: [{ id: body.id }],
      }),
      422,
    );
    expect(problem.type).toBe('urn:llmq:problem:unsupported-attachment-type');
    expect(problem.detail).toContain(
      "This model does not support attachments of type 'text/plain'",
    );
    expect(problem.detail).toContain(
      'image/png, image/jpeg, image/gif, image/webp, audio/wav, audio/mpeg, application/pdf',
    );
  });

  it('answers bad options with 422 naming each field', async () => {
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', {
        model: 'echo',
        prompt: 'x',
        options: { chunk_size: 0, colour: 'red' },
      }),
      422,
    );
    expect(problem.errors?.map((error) => error.path).sort()).toEqual([
      'options.chunk_size',
      'options.colour',
    ]);
    expect(problem.detail).toContain("Unknown option 'colour' for model echo");
  });

  it('answers an upload over the size limit with 413, storing nothing', async () => {
    const big = new Uint8Array(70 * 1024);
    big.set(sampleFiles.png);
    const response = await api().app.request('/v1/attachments', {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(big);
          controller.close();
        },
      }),
      headers: { 'content-type': 'image/png' },
      duplex: 'half',
    } as RequestInit);
    const problem = await problemOf(response, 413);
    expect(problem.detail).toContain('65536 bytes');
  });

  it('answers an upload with a Content-Length over the limit with 413 before reading it', async () => {
    const response = await fetch(`${api().baseUrl}/v1/attachments`, {
      method: 'POST',
      body: new Uint8Array(200 * 1024),
      headers: { 'content-type': 'image/png' },
    });
    expect((await problemOf(response, 413)).type).toBe('urn:llmq:problem:payload-too-large');
  });

  it('answers an inline attachment over its limit with 413', async () => {
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', {
        model: 'echo',
        attachments: [{ content: base64(new Uint8Array(2048)), type: 'image/png' }],
      }),
      413,
    );
    expect(problem.detail).toContain('POST /v1/attachments');
  });

  it('answers a JSON body over its limit with 413', async () => {
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', { model: 'echo', prompt: 'x'.repeat(10 * 1024) }),
      413,
    );
    expect(problem.detail).toContain('LLMQ_MAX_JSON_BYTES');
  });

  it('answers unknown ids with 404', async () => {
    for (const path of [
      '/v1/prompts/01jzzzzzzzzzzzzzzzzzzzzzzz',
      '/v1/prompts/01jzzzzzzzzzzzzzzzzzzzzzzz/stream',
      `/v1/attachments/${'0'.repeat(64)}`,
      `/v1/attachments/${'0'.repeat(64)}/content`,
      '/v1/conversations/nope',
    ]) {
      const problem = await problemOf(await api().request('GET', path), 404);
      expect(problem.detail).toMatch(/^No (prompt|attachment|conversation) has the id/);
    }
    await problemOf(
      await api().request('POST', '/v1/prompts/01jzzzzzzzzzzzzzzzzzzzzzzz/cancel'),
      404,
    );
    await problemOf(
      await api().request('POST', '/v1/prompts', {
        model: 'echo',
        prompt: 'x',
        conversation_id: 'nope',
      }),
      404,
    );
  });

  it('answers a prompt naming an attachment never uploaded with 422', async () => {
    const problem = await problemOf(
      await api().request('POST', '/v1/prompts', {
        model: 'echo',
        attachments: [{ id: 'a'.repeat(64) }],
      }),
      422,
    );
    expect(problem.detail).toContain('upload the bytes with POST /v1/attachments first');
  });

  it('answers invalid fields, unknown fields and an empty prompt with 422', async () => {
    const invalid = await problemOf(
      await api().request('POST', '/v1/prompts', { model: 5, prompt: 'x', extra: 1 }),
      422,
    );
    expect(invalid.errors?.map((error) => error.path)).toEqual(
      expect.arrayContaining(['model', '(root)']),
    );
    const empty = await problemOf(
      await api().request('POST', '/v1/prompts', { model: 'echo' }),
      422,
    );
    expect(empty.detail).toBe('Give a prompt, attachments, or both: there is nothing to ask');
    const badId = await problemOf(
      await api().request('POST', '/v1/prompts', { model: 'echo', attachments: [{ id: 'xyz' }] }),
      422,
    );
    expect(badId.detail).toContain('sha256');
    const badQuery = await problemOf(
      await api().request('GET', '/v1/prompts?limit=0&status=done'),
      422,
    );
    expect(badQuery.errors?.map((error) => error.path).sort()).toEqual(['limit', 'status']);
  });

  it('answers a bad resume id with 400', async () => {
    const { id } = (await (
      await api().request('POST', '/v1/prompts', { model: 'echo', prompt: 'x' })
    ).json()) as { id: string };
    const problem = await problemOf(
      await api().request('GET', `/v1/prompts/${id}/stream`, undefined, {
        'last-event-id': 'yesterday',
      }),
      400,
    );
    expect(problem.detail).toContain('Last-Event-ID');
  });

  it('answers an empty upload and an unknown byte type with 422', async () => {
    expect(
      (await problemOf((await upload(new Uint8Array(), 'image/png')).response, 422)).detail,
    ).toContain('empty');
    const unknown = await problemOf((await upload(sampleFiles.text)).response, 422);
    expect(unknown.detail).toContain('Content-Type');
  });

  it('answers unknown routes with 404 pointing at the docs', async () => {
    const problem = await problemOf(await api().request('GET', '/v2/everything'), 404);
    expect(problem.detail).toContain('/docs');
  });
});

describe('routes', () => {
  it('reports health and readiness of Redis, the database and the blob store', async () => {
    expect(await (await api().request('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    expect(await (await api().request('GET', '/readyz')).json()).toEqual({
      status: 'ok',
      checks: { redis: { status: 'ok' }, database: { status: 'ok' }, storage: { status: 'ok' } },
    });
  });

  it('lists the models with aliases, attachment types and options as JSON Schema', async () => {
    const { data } = (await (await api().request('GET', '/v1/models')).json()) as {
      data: Array<Record<string, unknown>>;
    };
    const echo = data.find((model) => model.id === 'echo');
    expect(echo).toMatchObject({
      can_stream: true,
      attachment_types: expect.arrayContaining(['image/png']),
    });
    expect(echo?.options).toMatchObject({
      type: 'object',
      properties: { delay_ms: { type: 'integer' } },
    });
    expect(data.find((model) => model.id === 'local-vision')).toMatchObject({
      aliases: ['lv'],
      needs_key: 'openai',
      key_env_var: 'OPENAI_API_KEY',
    });
  });

  it('stores an upload once: 201, then 200 for the same bytes; metadata and ranged content', async () => {
    const bytes = new Uint8Array(sampleFiles.gif);
    const first = await upload(bytes, 'image/gif');
    expect(first.response.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'image/gif', size: bytes.length, created: true });
    const again = await upload(bytes);
    expect(again.response.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, created: false });
    const meta = (await (
      await api().request('GET', `/v1/attachments/${first.body.id}`)
    ).json()) as Record<string, unknown>;
    expect(meta).toMatchObject({
      id: first.body.id,
      type: 'image/gif',
      size: bytes.length,
      url: null,
    });
    const whole = await api().request('GET', `/v1/attachments/${first.body.id}/content`);
    expect(whole.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await whole.arrayBuffer())).toEqual(Buffer.from(bytes));
    const part = await api().request('GET', `/v1/attachments/${first.body.id}/content`, undefined, {
      range: 'bytes=2-5',
    });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 2-5/${bytes.length}`);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(Buffer.from(bytes.subarray(2, 6)));
    const tail = await api().request('GET', `/v1/attachments/${first.body.id}/content`, undefined, {
      range: 'bytes=-3',
    });
    expect(Buffer.from(await tail.arrayBuffer())).toEqual(Buffer.from(bytes.subarray(-3)));
    const outside = await api().request(
      'GET',
      `/v1/attachments/${first.body.id}/content`,
      undefined,
      { range: 'bytes=999-' },
    );
    expect((await problemOf(outside, 416)).detail).toContain(`${bytes.length} bytes`);
  });

  it('stores every file of a multipart upload', async () => {
    const form = new FormData();
    form.append('file', new Blob([sampleFiles.webp]), 'a.webp');
    form.append('file', new Blob([sampleFiles.pdf], { type: 'application/pdf' }), 'b.pdf');
    const response = await fetch(`${api().baseUrl}/v1/attachments`, { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const { data } = (await response.json()) as { data: Array<{ type: string; created: boolean }> };
    expect(data.map((item) => item.type)).toEqual(['image/webp', 'application/pdf']);
    const repeat = await fetch(`${api().baseUrl}/v1/attachments`, { method: 'POST', body: form });
    expect(repeat.status).toBe(200);
  });

  it("answers a multipart upload's files in their order, whichever is stored first", async () => {
    // The first file takes longest to store: its answer still comes first.
    const large = new TextEncoder().encode('a line of text\n'.repeat(4_000));
    const form = new FormData();
    form.append('file', new Blob([large], { type: 'text/plain' }), 'large.txt');
    form.append('file', new Blob([sampleFiles.png], { type: 'image/png' }), 'small.png');
    const response = await fetch(`${api().baseUrl}/v1/attachments`, { method: 'POST', body: form });
    const body = (await response.json()) as { data: Array<{ size: number; type: string }> };
    expect(response.status, JSON.stringify(body)).toBe(201);
    expect(body.data.map((item) => [item.size, item.type])).toEqual([
      [large.length, 'text/plain'],
      [sampleFiles.png.length, 'image/png'],
    ]);
  });

  it('queues a prompt with 202 and links; `wait=true` answers the finished prompt', async () => {
    const accepted = await api().request('POST', '/v1/prompts', {
      model: 'echo',
      prompt: 'hello there',
    });
    expect(accepted.status).toBe(202);
    const body = (await accepted.json()) as {
      id: string;
      status: string;
      links: { self: string; stream: string };
    };
    expect(body).toMatchObject({
      status: 'queued',
      links: { self: `/v1/prompts/${body.id}`, stream: `/v1/prompts/${body.id}/stream` },
    });
    const waited = await api().request('POST', '/v1/prompts?wait=true', {
      model: 'echo',
      prompt: 'inline image',
      attachments: [{ content: base64(sampleFiles.png) }],
    });
    expect(waited.status).toBe(200);
    const finished = (await waited.json()) as Record<string, unknown> & {
      attachments: unknown[];
      usage: unknown;
    };
    expect(finished).toMatchObject({ status: 'succeeded', attempts: 1, usage: { input: 2 } });
    expect(finished.attachments).toEqual([
      expect.objectContaining({ type: 'image/png', size: sampleFiles.png.length }),
    ]);
    expect(JSON.parse(finished.text as string).attachments[0].type).toBe('image/png');
  });

  it('answers a repeated Idempotency-Key with the first prompt and queues no second job', async () => {
    const headers = { 'idempotency-key': 'order-42' };
    const first = (await (
      await api().request(
        'POST',
        '/v1/prompts',
        { model: 'echo', prompt: 'zebra crossing' },
        headers,
      )
    ).json()) as { id: string };
    const second = await api().request(
      'POST',
      '/v1/prompts',
      { model: 'echo', prompt: 'zebra crossing' },
      headers,
    );
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as { id: string }).id).toBe(first.id);
    const page = (await (await api().request('GET', '/v1/prompts?q=zebra')).json()) as {
      data: unknown[];
    };
    expect(page.data).toHaveLength(1);
  });

  it('searches, filters and pages prompts', async () => {
    for (const word of ['pelican', 'walrus', 'pelican']) {
      await api().request('POST', '/v1/prompts?wait=true', {
        model: 'echo',
        prompt: `a ${word} story`,
      });
    }
    const found = (await (
      await api().request('GET', '/v1/prompts?q=pelican&model=echo&status=succeeded')
    ).json()) as {
      data: Array<{ prompt: string }>;
    };
    expect(found.data.map((row) => row.prompt)).toEqual(['a pelican story', 'a pelican story']);
    const page = (await (await api().request('GET', '/v1/prompts?q=story&limit=2')).json()) as {
      data: unknown[];
      next_cursor: string;
    };
    expect(page.data).toHaveLength(2);
    const next = (await (
      await api().request('GET', `/v1/prompts?q=story&limit=2&cursor=${page.next_cursor}`)
    ).json()) as {
      data: unknown[];
      next_cursor: string | null;
    };
    expect(next.data).toHaveLength(1);
    expect(next.next_cursor).toBeNull();
  });

  it('cancels a queued or running prompt, and refuses to cancel an ended one (409)', async () => {
    const { id } = (await (
      await api().request('POST', '/v1/prompts', {
        model: 'echo',
        prompt: 'slow',
        options: { delay_ms: 200 },
      })
    ).json()) as { id: string };
    const cancelled = (await (await api().request('POST', `/v1/prompts/${id}/cancel`)).json()) as {
      status: string;
      error: unknown;
    };
    expect(cancelled.status).toBe('cancelled');
    expect(
      (await (await api().request('POST', `/v1/prompts/${id}/cancel`)).json()) as {
        status: string;
      },
    ).toMatchObject({ status: 'cancelled' });
    const done = (await (
      await api().request('POST', '/v1/prompts?wait=true', { model: 'echo', prompt: 'quick' })
    ).json()) as { id: string };
    const problem = await problemOf(
      await api().request('POST', `/v1/prompts/${done.id}/cancel`),
      409,
    );
    expect(problem.detail).toContain('already succeeded');
  });

  it('lists conversations and shows one with its turns in order', async () => {
    const first = (await (
      await api().request('POST', '/v1/prompts?wait=true', { model: 'echo', prompt: 'first turn' })
    ).json()) as {
      conversation_id: string;
    };
    await api().request('POST', '/v1/prompts?wait=true', {
      model: 'echo',
      prompt: 'second turn',
      conversation_id: first.conversation_id,
    });
    const conversation = (await (
      await api().request('GET', `/v1/conversations/${first.conversation_id}`)
    ).json()) as {
      name: string;
      turns: Array<{ prompt: string; text: string }>;
    };
    expect(conversation.name).toBe('first turn');
    expect(conversation.turns.map((turn) => turn.prompt)).toEqual(['first turn', 'second turn']);
    expect(JSON.parse(conversation.turns[1]?.text ?? '{}').previous[0].prompt).toBe('first turn');
    const list = (await (await api().request('GET', '/v1/conversations?limit=1')).json()) as {
      data: Array<{ id: string }>;
    };
    expect(list.data).toHaveLength(1);
  });

  it('serves the OpenAPI document and a docs page', async () => {
    const document = (await (await api().request('GET', '/openapi.json')).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/v1/prompts',
        '/v1/prompts/{id}',
        '/v1/prompts/{id}/stream',
        '/v1/prompts/{id}/cancel',
        '/v1/attachments',
        '/v1/attachments/{id}',
        '/v1/attachments/{id}/content',
        '/v1/conversations',
        '/v1/conversations/{id}',
        '/v1/models',
        '/healthz',
        '/readyz',
      ]),
    );
    const docs = await api().request('GET', '/docs');
    expect(await docs.text()).toContain('/openapi.json');
    expect((await api().request('GET', '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
  });
});

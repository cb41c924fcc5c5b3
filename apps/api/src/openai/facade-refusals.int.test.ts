import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { countRowsByTable } from '@llmq/db/reads';
import type { FilesystemBlobStore } from '@llmq/storage';
import { makePng, makeWav } from '@llmq/testing';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-facade-refusals-admin';
const api = useApi({ adminKeys: [adminKey], maxPromptChars: 2_000, maxAttachmentsPerPrompt: 2 });

let openai: OpenAI;
let files: Server;
let textUrl = '';

beforeAll(async () => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
  files = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end('plain words, which no model here takes');
  });
  files.listen(0, '127.0.0.1');
  await once(files, 'listening');
  textUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/words.txt`;
});

afterAll(() => {
  files.close();
});

/** Every row of every table, and every file in the blob folder (temporary ones included). */
async function written() {
  const root = (api().services.blobs as FilesystemBlobStore).root;
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return {
    files: entries.filter((entry) => entry.isFile()).length,
    rows: await countRowsByTable(api().services.database.db),
  };
}

/** Bytes no other test sends, so a blob already stored cannot hide one written here. */
let colour = 0;
const freshPng = () => Buffer.from(makePng(colour++ % 256, 7, 11, 2)).toString('base64');
const pngUrl = () => `data:image/png;base64,${freshPng()}`;

type Messages = OpenAI.ChatCompletionMessageParam[];

/** An earlier turn with an image that the models here accept. */
const historyWithImage = (): Messages => [
  {
    role: 'user',
    content: [
      { type: 'text', text: 'earlier' },
      { type: 'image_url', image_url: { url: pngUrl() } },
    ],
  },
  { role: 'assistant', content: 'an answer' },
];

describe('a chat completion refused writes no row and no blob', () => {
  it.each<[string, string, () => Messages]>([
    [
      'wav bytes in a data: URL of no declared type, for a model that takes only images',
      'lv',
      () => [
        ...historyWithImage(),
        {
          role: 'user',
          content: [
            {
              type: 'image_url',
              image_url: {
                url: `data:;base64,${Buffer.from(makeWav(16)).toString('base64')}`,
              },
            },
          ],
        },
      ],
    ],
    [
      'an accepted image in the history, a prompt over the length limit',
      'echo',
      () => [...historyWithImage(), { role: 'user', content: 'x'.repeat(2_001) }],
    ],
    [
      'an accepted image in the history, too many attachments in the prompt',
      'echo',
      () => [
        ...historyWithImage(),
        {
          role: 'user',
          content: [1, 2, 3].map(() => ({
            type: 'image_url' as const,
            image_url: { url: pngUrl() },
          })),
        },
      ],
    ],
    [
      'an accepted image in the history, a URL answering text/plain in the prompt',
      'echo',
      () => [
        ...historyWithImage(),
        { role: 'user', content: [{ type: 'image_url', image_url: { url: textUrl } }] },
      ],
    ],
  ])('%s', async (_case, model, messages) => {
    const before = await written();
    const error = await openai.chat.completions
      .create({ model, messages: messages() })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const status = (error as InstanceType<typeof OpenAI.APIError>).status ?? 0;
    expect(status >= 400 && status < 500, String(error)).toBe(true);
    expect(await written()).toEqual(before);
  });

  it('stores the history and prompt images of an accepted chat, so the checks above can fail', async () => {
    const before = await written();
    const completion = await openai.chat.completions.create({
      model: 'echo',
      messages: [
        ...historyWithImage(),
        { role: 'user', content: [{ type: 'image_url', image_url: { url: pngUrl() } }] },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    const after = await written();
    expect(after.files).toBe(before.files + 2);
    expect(after.rows.attachments).toBe((before.rows.attachments ?? 0) + 2);
  });
});

describe('a facade batch refused writes no row and no blob', () => {
  const line = (customId: string, content: OpenAI.ChatCompletionContentPart[], model = 'echo') => ({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content }] },
  });
  const image = (): OpenAI.ChatCompletionContentPart => ({
    type: 'image_url',
    image_url: { url: pngUrl() },
  });

  async function uploadBatch(lines: unknown[]): Promise<string> {
    const file = await openai.files.create({
      file: await toFile(
        Buffer.from(lines.map((each) => JSON.stringify(each)).join('\n')),
        'input.jsonl',
      ),
      purpose: 'batch',
    });
    return file.id;
  }

  const create = (inputFileId: string) =>
    openai.batches.create({
      input_file_id: inputFileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });

  it.each<[string, () => unknown[]]>([
    [
      'an inline image accepted, a later line reusing its custom_id',
      () => [line('same', [image()]), line('same', [{ type: 'text', text: 'again' }])],
    ],
    [
      'an inline image accepted, a later line with wav bytes for a model that takes only images',
      () => [
        line('image', [image()], 'lv'),
        line(
          'audio',
          [
            {
              type: 'input_audio',
              input_audio: { data: Buffer.from(makeWav(24)).toString('base64'), format: 'wav' },
            },
          ],
          'lv',
        ),
      ],
    ],
    [
      'an inline image accepted, a later line with a URL answering text/plain',
      () => [
        line('image', [image()]),
        line('url', [{ type: 'image_url', image_url: { url: textUrl } }]),
      ],
    ],
  ])('%s', async (_case, lines) => {
    const inputFileId = await uploadBatch(lines());
    const before = await written();
    const error = await create(inputFileId).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const status = (error as InstanceType<typeof OpenAI.APIError>).status ?? 0;
    expect(status >= 400 && status < 500, String(error)).toBe(true);
    expect(await written()).toEqual(before);
  });

  it('stores the inline images of an accepted batch, so the checks above can fail', async () => {
    const inputFileId = await uploadBatch([line('one', [image()]), line('two', [image()])]);
    const before = await written();
    const batch = await create(inputFileId);
    expect(batch.request_counts?.total).toBe(2);
    const after = await written();
    expect(after.files).toBe(before.files + 2);
    expect(after.rows.attachments).toBe((before.rows.attachments ?? 0) + 2);
    expect(after.rows.batches).toBe((before.rows.batches ?? 0) + 1);
  });
});

import { createHash } from 'node:crypto';
import { Attachment, ModelError, ModelRegistry, OptionsError } from '@llmq/core';
import { sampleFiles } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { EchoModel, splitChunks } from './echo-model.ts';
import { registerModels } from './index.ts';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('echo', () => {
  it('is registered as `echo` by its plugin hook', () => {
    const registry = new ModelRegistry();
    registerModels(registry.register);
    expect(registry.get('echo')).toBeInstanceOf(EchoModel);
  });

  it('streams back a JSON description of prompt, system, attachments and options', async () => {
    const model = new EchoModel();
    const response = await model.prompt('describe this', {
      system: 'be exact',
      attachments: [new Attachment({ content: sampleFiles.png })],
      options: { chunk_size: 7 },
    });
    expect(JSON.parse(response.text())).toEqual({
      prompt: 'describe this',
      system: 'be exact',
      attachments: [
        { type: 'image/png', id: sha256(sampleFiles.png), size: sampleFiles.png.length },
      ],
      options: { chunk_size: 7 },
      previous: [],
    });
    const chunks = response.chunks();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 7)).toBe(true);
  });

  it('describes the earlier turns of a conversation, with their attachments', async () => {
    const model = new EchoModel();
    const conversation = model.conversation();
    const first = await conversation.prompt('one', {
      attachments: [new Attachment({ content: sampleFiles.wav })],
    });
    const second = await conversation.prompt('two');
    expect(JSON.parse(second.text()).previous).toEqual([
      {
        prompt: 'one',
        attachments: [
          { type: 'audio/wav', id: sha256(sampleFiles.wav), size: sampleFiles.wav.length },
        ],
        response: first.text(),
      },
    ]);
  });

  it('answers in one chunk when not streaming', async () => {
    const response = await new EchoModel().prompt('x', { stream: false });
    expect(response.chunks()).toHaveLength(1);
  });

  it('sets usage as word counts of the prompt and the answer', async () => {
    const response = await new EchoModel().prompt('three little words');
    expect(response.usage()).toEqual({
      input: 3,
      output: response.text().split(/\s+/).filter(Boolean).length,
      details: null,
    });
  });

  it('fails on demand, retryable or not, on the first n attempts only', async () => {
    const model = new EchoModel();
    const options = { fail: 'retryable', fail_attempts: 1 };
    const first = await model
      .prompt('x', { options, attempt: 1 })
      .text()
      .catch((error: unknown) => error);
    expect(first).toBeInstanceOf(ModelError);
    expect((first as ModelError).retryable).toBe(true);
    const second = await model.prompt('x', { options, attempt: 2 });
    expect(JSON.parse(second.text()).prompt).toBe('x');
    const fatal = await model
      .prompt('x', { options: { fail: 'fatal' }, attempt: 7 })
      .text()
      .catch((error: unknown) => error);
    expect((fatal as ModelError).retryable).toBe(false);
  });

  it('streams some chunks before failing when asked', async () => {
    const response = new EchoModel().prompt('x', {
      options: { fail: 'fatal', fail_after_chunks: 2, chunk_size: 4 },
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of response) seen.push(chunk);
      })(),
    ).rejects.toThrow(ModelError);
    expect(seen).toHaveLength(2);
  });

  it('stops waiting between chunks when its signal aborts', async () => {
    const controller = new AbortController();
    const response = new EchoModel().prompt('x', {
      options: { delay_ms: 60_000 },
      signal: controller.signal,
    });
    const text = response.text();
    controller.abort(new Error('cancelled by test'));
    await expect(text).rejects.toThrow('cancelled by test');
  });

  it('validates its options', () => {
    expect(() => new EchoModel().prompt('x', { options: { chunk_size: 0 } })).toThrow(OptionsError);
    expect(() => new EchoModel().prompt('x', { options: { fail: 'sometimes' } })).toThrow(
      /Option 'fail'/,
    );
  });

  it('accepts images, audio and PDF, and nothing else', async () => {
    const model = new EchoModel();
    for (const name of ['png', 'jpeg', 'gif', 'webp', 'wav', 'mp3', 'pdf'] as const) {
      await expect(
        model.validateAttachments([new Attachment({ content: sampleFiles[name] })]),
      ).resolves.toBeUndefined();
    }
    await expect(
      model.validateAttachments([
        new Attachment({ content: sampleFiles.text, type: 'text/plain' }),
      ]),
    ).rejects.toThrow("type 'text/plain'");
  });
});

describe('splitChunks', () => {
  it('never splits a surrogate pair and joins back to the text', () => {
    const text = 'a😀b😀c';
    const chunks = splitChunks(text, 2);
    expect(chunks).toEqual(['a😀', 'b😀', 'c']);
    expect(chunks.join('')).toBe(text);
  });

  describe('with a schema', () => {
    const schema = {
      type: 'object',
      properties: { vendor: { type: 'string' }, total: { type: 'number' } },
      required: ['vendor', 'total'],
    };

    it('supports schemas', () => {
      expect(new EchoModel().supportsSchema).toBe(true);
    });

    it('answers JSON that fits the schema, seeded by the first attachment', async () => {
      const response = await new EchoModel().prompt('extract', {
        schema,
        attachments: [new Attachment({ content: sampleFiles.png })],
      });
      const seed = sha256(sampleFiles.png).slice(0, 8);
      expect(JSON.parse(response.text())).toEqual({ vendor: `vendor-${seed}`, total: 0 });
    });

    it('answers the prompt itself when it is JSON, whatever the schema', async () => {
      const response = await new EchoModel().prompt('{"vendor": 42}', { schema });
      expect(response.text()).toBe('{"vendor": 42}');
    });
  });

  it('streams the reasoning option as reasoning before the answer', async () => {
    const response = await new EchoModel().prompt('hi', {
      options: { reasoning: 'Think first, then answer.', chunk_size: 10 },
    });
    expect(response.reasoning()).toBe('Think first, then answer.');
    expect(JSON.parse(response.text())).toMatchObject({ prompt: 'hi' });
    const types = response.events.map((event) => event.type);
    expect(types.indexOf('text')).toBeGreaterThan(types.lastIndexOf('reasoning'));
    expect(types.filter((type) => type === 'reasoning')).toHaveLength(3);
  });
});

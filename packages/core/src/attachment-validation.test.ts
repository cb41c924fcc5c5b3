import { sampleFiles } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { Attachment } from './attachment.ts';
import { AttachmentError, AttachmentTypeError } from './errors.ts';
import { MockModel } from './mock-model.fixture.ts';

const png = () => new Attachment({ content: sampleFiles.png });

describe('attachment validation', () => {
  it('refuses any attachment when the model lists no types', async () => {
    const model = new MockModel('plain', []);
    const response = model.prompt('look', { attachments: [png()] });
    await expect(response.text()).rejects.toThrow(
      new AttachmentTypeError('This model does not support attachments', undefined, []),
    );
    expect(model.history).toHaveLength(0);
  });

  it("refuses a type outside the list with llm's exact message", async () => {
    const model = new MockModel('mock', ['image/png', 'audio/wav']);
    const pdf = new Attachment({ content: sampleFiles.pdf });
    const error = await model
      .prompt('look', { attachments: [pdf] })
      .text()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AttachmentTypeError);
    expect((error as Error).message).toBe(
      "This model does not support attachments of type 'application/pdf', only image/png, audio/wav",
    );
    expect((error as AttachmentTypeError).accepted).toEqual(['image/png', 'audio/wav']);
    expect(model.history).toHaveLength(0);
  });

  it('uses the declared type over the sniffed one', async () => {
    const model = new MockModel('mock', ['image/png']);
    const declared = new Attachment({ content: sampleFiles.png, type: 'image/jpeg' });
    await expect(model.validateAttachments([declared])).rejects.toThrow("type 'image/jpeg'");
  });

  it('refuses bytes of unknown type clearly instead of an empty type', async () => {
    const model = new MockModel('mock', ['image/png']);
    const unknown = new Attachment({ content: sampleFiles.text });
    await expect(model.validateAttachments([unknown])).rejects.toThrow(AttachmentError);
  });

  it('allows attachments without text: the prompt text is then ""', async () => {
    const model = new MockModel('mock', ['image/png']);
    model.enqueue(['a red pixel']);
    const attachment = png();
    const response = await model.prompt(undefined, { attachments: [attachment] });
    expect(response.prompt.prompt).toBe('');
    expect(response.prompt.messages).toEqual([
      { role: 'user', parts: [{ type: 'attachment', attachment }] },
    ]);
  });

  it('validates continued conversations too (llm #1626)', async () => {
    const model = new MockModel('mock', ['image/png']);
    model.enqueue(['one']);
    const conversation = model.conversation();
    await conversation.prompt('first');
    const pdf = new Attachment({ content: sampleFiles.pdf });
    await expect(conversation.prompt('second', { attachments: [pdf] }).text()).rejects.toThrow(
      AttachmentTypeError,
    );
    expect(model.history).toHaveLength(1);
  });
});

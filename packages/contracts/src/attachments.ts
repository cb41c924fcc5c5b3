import { z } from 'zod';

export const attachmentIdSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'an attachment id is the sha256 of its bytes, 64 lowercase hex digits')
  .meta({ description: 'sha256 hex of the bytes.' });

export const attachmentSchema = z
  .object({
    id: attachmentIdSchema,
    type: z.string(),
    size: z.int(),
    url: z
      .string()
      .nullable()
      .meta({ description: 'Where the bytes were fetched from, if a URL.' }),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'Attachment' });
export type AttachmentBody = z.infer<typeof attachmentSchema>;

export const uploadedAttachmentSchema = z
  .object({
    id: attachmentIdSchema,
    type: z.string(),
    size: z.int(),
    created: z.boolean().meta({ description: 'False when these bytes were already stored.' }),
  })
  .meta({ id: 'UploadedAttachment' });
export type UploadedAttachment = z.infer<typeof uploadedAttachmentSchema>;

export const uploadedAttachmentListSchema = z
  .object({ data: z.array(uploadedAttachmentSchema) })
  .meta({ id: 'UploadedAttachmentList' });

export const attachmentPathSchema = z.object({ id: attachmentIdSchema });

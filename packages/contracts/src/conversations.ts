import { z } from 'zod';
import { resourceIdSchema } from './ids.ts';
import { promptSchema } from './prompts.ts';

export const conversationSummarySchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    model: z.string(),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'ConversationSummary' });

export const conversationSchema = conversationSummarySchema
  .extend({ turns: z.array(promptSchema) })
  .meta({ id: 'Conversation' });
export type ConversationBody = z.infer<typeof conversationSchema>;

export const conversationPageSchema = z
  .object({ data: z.array(conversationSummarySchema), next_cursor: z.string().nullable() })
  .meta({ id: 'ConversationPage' });

export const listConversationsQuerySchema = z.strictObject({
  cursor: resourceIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

import { bigint, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './column-helpers.ts';
import { responses } from './responses-table.ts';

export const attachments = pgTable('attachments', {
  /** sha256 hex of the bytes: the content address. */
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  /** Where the bytes were fetched from, for URL attachments. */
  url: text('url'),
  storageKey: text('storage_key').notNull(),
  createdAt: createdAt(),
  /**
   * When its bytes were last stored or linked: the blob collector leaves attachments touched
   * lately, so an upload racing a collection never links bytes that are being removed.
   */
  touchedAt: timestamp('touched_at', { withTimezone: true }).notNull().defaultNow(),
});

export const promptAttachments = pgTable(
  'prompt_attachments',
  {
    responseId: text('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    position: integer('position').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.responseId, table.position] }),
    index('prompt_attachments_attachment_idx').on(table.attachmentId),
  ],
);

/** Who may see an attachment: an owner that uploaded its bytes or used them in a prompt. */
export const attachmentOwners = pgTable(
  'attachment_owners',
  {
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    owner: text('owner').notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.owner, table.attachmentId] }),
    // The blob collector asks "does anyone hold this attachment" by its id.
    index('attachment_owners_attachment_idx').on(table.attachmentId),
  ],
);

/** Files uploaded through the OpenAI-compatible API (e.g. batch input JSONL); bytes are attachments. */
export const files = pgTable(
  'files',
  {
    id: text('id').primaryKey(),
    filename: text('filename').notNull(),
    purpose: text('purpose').notNull(),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    owner: text('owner'),
    createdAt: createdAt(),
    /** When the file is removed (the facade's `expires_after`); null keeps it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [
    index('files_owner_id_idx').on(table.owner, table.id),
    // The blob collector asks "is this attachment a file's bytes" by its id.
    index('files_attachment_idx').on(table.attachmentId),
  ],
);

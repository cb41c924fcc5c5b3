import { and, asc, eq, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from './database.ts';
import { preparedPerDatabase } from './prepared-per-database.ts';
import { responseColumns } from './response-columns.ts';
import {
  type AttachmentRow,
  attachments,
  promptAttachments,
  type ResponseRow,
  responses,
} from './schema.ts';
import { textArrayLiteral } from './text-array.ts';

export interface PromptWithAttachments extends ResponseRow {
  readonly attachments: readonly AttachmentRow[];
}

/** Scope of a read: a key's owner, or `null` for prompts made without keys. */
export type OwnerScope = string | null | undefined;

/** The condition that a row belongs to the owner; `undefined` reads every owner (admin). */
export function ownedByScope(column: AnyPgColumn, owner: OwnerScope): SQL | undefined {
  if (owner === undefined) return undefined;
  return owner === null ? isNull(column) : eq(column, owner);
}

// One statement per kind of owner scope, each built once: every stream opened and every prompt
// read looks a prompt up, and drizzle building the select cost more than PostgreSQL running it.
function promptStatement(name: string, ownerCondition?: SQL) {
  return preparedPerDatabase((db) =>
    db
      .select(responseColumns)
      .from(responses)
      .where(and(eq(responses.id, sql.placeholder('id')), ownerCondition))
      .limit(1)
      .prepare(name),
  );
}
const promptById = promptStatement('llmq_prompt_by_id');
const promptWithoutOwner = promptStatement('llmq_prompt_without_owner', isNull(responses.owner));
const promptOfOwner = promptStatement(
  'llmq_prompt_of_owner',
  eq(responses.owner, sql.placeholder('owner')),
);

function promptRows(db: Database, id: string, owner: OwnerScope): Promise<ResponseRow[]> {
  if (owner === undefined) return promptById(db).execute({ id });
  if (owner === null) return promptWithoutOwner(db).execute({ id });
  return promptOfOwner(db).execute({ id, owner });
}

/** One prompt with its attachments in order, or undefined (also when another owner's). */
export async function getPrompt(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<PromptWithAttachments | undefined> {
  const [row] = await promptRows(db, id, owner);
  if (!row) return undefined;
  const byResponse = await attachmentsOf(db, [row.id]);
  return { ...row, attachments: byResponse.get(row.id) ?? [] };
}

const attachmentsStatement = preparedPerDatabase((db) =>
  db
    .select({ responseId: promptAttachments.responseId, attachment: attachments })
    .from(promptAttachments)
    .innerJoin(attachments, eq(attachments.id, promptAttachments.attachmentId))
    .where(sql`${promptAttachments.responseId} = any(${sql.placeholder('ids')}::text[])`)
    .orderBy(asc(promptAttachments.responseId), asc(promptAttachments.position))
    .prepare('llmq_attachments_of'),
);

/** The attachments of each response, in order. */
export async function attachmentsOf(
  db: Database,
  responseIds: readonly string[],
): Promise<Map<string, AttachmentRow[]>> {
  const byResponse = new Map<string, AttachmentRow[]>();
  if (responseIds.length === 0) return byResponse;
  const rows = await attachmentsStatement(db).execute({ ids: textArrayLiteral(responseIds) });
  for (const { responseId, attachment } of rows) {
    const list = byResponse.get(responseId) ?? [];
    list.push(attachment);
    byResponse.set(responseId, list);
  }
  return byResponse;
}

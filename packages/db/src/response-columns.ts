import { getTableColumns } from 'drizzle-orm';
import { responses } from './tables/responses-table.ts';

const { search: _searchVector, ...columns } = getTableColumns(responses);

/**
 * The columns a prompt's row is read with: all but `search`, the full-text vector only queries
 * use. It is as long as the prompt and answer together, so the hot statements (a claim, an end)
 * would otherwise send it back for nothing.
 */
export const responseColumns = columns;

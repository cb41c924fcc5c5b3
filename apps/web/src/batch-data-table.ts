import {
  type BatchBody,
  type BatchResultBody,
  isMultiSchema,
  type StoredSchemaBody,
} from '@llmq/contracts';
import { api, apiResponse } from './api-client.ts';
import { buildDataTable, type DataTable, type LabelledData } from './data-table.ts';
import { element } from './element.ts';

/** A batch may have 100,000 items: the page shows the first ones, the download has them all. */
const shownResults = 500;

/** The first results of a batch, read line by line; the rest is not fetched. */
async function firstResults(batchId: string, signal: AbortSignal): Promise<BatchResultBody[]> {
  const response = await apiResponse(`/v1/batches/${encodeURIComponent(batchId)}/results`, {
    signal,
  });
  const results: BatchResultBody[] = [];
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    while (results.length < shownResults) {
      const { done, value } = await reader.read();
      pending += decoder.decode(value, { stream: !done });
      const lines = pending.split('\n');
      pending = done ? '' : (lines.pop() ?? '');
      for (const line of lines) if (line.trim()) results.push(JSON.parse(line) as BatchResultBody);
      if (done) break;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return results.slice(0, shownResults);
}

function tableElement(table: DataTable): HTMLElement {
  return element(
    'div',
    { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': 'Results as a table' },
    element(
      'table',
      { class: 'data-table' },
      element(
        'thead',
        {},
        element(
          'tr',
          {},
          element('th', { scope: 'col' }, 'Item'),
          table.columns.map((column) => element('th', { scope: 'col' }, column)),
        ),
      ),
      element(
        'tbody',
        {},
        table.rows.map((row) =>
          element(
            'tr',
            {},
            element('th', { scope: 'row' }, row.label),
            row.cells.map((value) => element('td', {}, value)),
          ),
        ),
      ),
    ),
  );
}

/**
 * An ended batch's answers as data: a table when they are objects (a row per item, or per
 * match of a multi schema), else one JSON value per line.
 */
export async function batchDataTable(batch: BatchBody, signal: AbortSignal): Promise<HTMLElement> {
  const [results, stored] = await Promise.all([
    firstResults(batch.id, signal),
    batch.schema_id
      ? api<StoredSchemaBody>(`/v1/schemas/${batch.schema_id}`, { signal })
      : Promise.resolve(undefined),
  ]);
  const answers: LabelledData[] = results.map((result) => ({
    label: result.custom_id ?? String(result.index),
    data: result.data,
  }));
  const table = buildDataTable(answers, isMultiSchema(stored?.schema));
  const note =
    results.length >= shownResults
      ? element(
          'p',
          { class: 'muted' },
          `The first ${shownResults} items; download the results for all of them.`,
        )
      : null;
  const content = table
    ? tableElement(table)
    : element(
        'pre',
        { class: 'answer-data', tabindex: 0, 'aria-label': 'Data' },
        answers
          .filter(({ data }) => data !== null && data !== undefined)
          .map(({ data }) => JSON.stringify(data))
          .join('\n') || '(no data)',
      );
  return element(
    'section',
    { class: 'batch-data', 'aria-label': 'Data' },
    element('h2', {}, 'Data'),
    note,
    content,
  );
}

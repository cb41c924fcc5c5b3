/** One answer's data, with the label its row(s) get: the item's custom id or index. */
export interface LabelledData {
  readonly label: string;
  readonly data: unknown;
}

export interface DataTable {
  /** The data's top-level properties, in the order they first appear. */
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<{ readonly label: string; readonly cells: readonly string[] }>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function cell(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Answers' data as a table: a row per answer (for a multi schema, a row per item of its
 * `items`), a column per top-level property. Undefined when some data is not an object (or there
 * is none), so the caller shows the data as text instead.
 */
export function buildDataTable(
  answers: readonly LabelledData[],
  multi: boolean,
): DataTable | undefined {
  const records: Array<{ label: string; record: Record<string, unknown> }> = [];
  for (const { label, data } of answers) {
    if (data === null || data === undefined) continue;
    if (multi && isRecord(data) && Array.isArray(data.items)) {
      for (const item of data.items) {
        if (!isRecord(item)) return undefined;
        records.push({ label, record: item });
      }
    } else if (isRecord(data)) {
      records.push({ label, record: data });
    } else {
      return undefined;
    }
  }
  if (records.length === 0) return undefined;
  const columns = [...new Set(records.flatMap(({ record }) => Object.keys(record)))];
  return {
    columns,
    rows: records.map(({ label, record }) => ({
      label,
      cells: columns.map((column) => cell(record[column])),
    })),
  };
}

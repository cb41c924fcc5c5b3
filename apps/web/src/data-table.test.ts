import { describe, expect, it } from 'vitest';
import { buildDataTable } from './data-table.ts';

describe('buildDataTable', () => {
  it('makes a column per top-level property and a row per answer, skipping answers without data', () => {
    const table = buildDataTable(
      [
        { label: 'a.pdf', data: { vendor: 'ACME', total: 12.5 } },
        { label: 'b.pdf', data: null },
        { label: 'c.pdf', data: { vendor: 'Initech', date: '2026-01-02', lines: [1, 2] } },
      ],
      false,
    );
    expect(table).toEqual({
      columns: ['vendor', 'total', 'date', 'lines'],
      rows: [
        { label: 'a.pdf', cells: ['ACME', '12.5', '', ''] },
        { label: 'c.pdf', cells: ['Initech', '', '2026-01-02', '[1,2]'] },
      ],
    });
  });

  it('makes a row per item of a multi schema’s items', () => {
    const table = buildDataTable(
      [
        { label: '0', data: { items: [{ name: 'Ada' }, { name: 'Grace' }] } },
        { label: '1', data: { items: [] } },
      ],
      true,
    );
    expect(table).toEqual({
      columns: ['name'],
      rows: [
        { label: '0', cells: ['Ada'] },
        { label: '0', cells: ['Grace'] },
      ],
    });
  });

  it('gives nothing when the data is not a list of objects, so it is shown as text', () => {
    expect(buildDataTable([{ label: '0', data: [1, 2] }], false)).toBeUndefined();
    expect(buildDataTable([{ label: '0', data: { items: ['x'] } }], true)).toBeUndefined();
    expect(buildDataTable([{ label: '0', data: null }], false)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { dataLines } from './data-lines.ts';

describe('dataLines', () => {
  it('prints one compact JSON line per answer with data, skipping answers without', () => {
    const lines = [
      ...dataLines([{ data: { name: 'Ada', age: 36 } }, { data: null }, { data: [1, 2] }], false),
    ];
    expect(lines).toEqual(['{"name":"Ada","age":36}\n', '[1,2]\n']);
  });

  it('prints each item of a multi schema’s answer on its own line', () => {
    const lines = [
      ...dataLines([{ data: { items: [{ name: 'Ada' }, { name: 'Grace' }] } }, {}], true),
    ];
    expect(lines).toEqual(['{"name":"Ada"}\n', '{"name":"Grace"}\n']);
    expect(lines.map((line) => JSON.parse(line))).toEqual([{ name: 'Ada' }, { name: 'Grace' }]);
  });

  it('prints a multi answer without items as it is', () => {
    expect([...dataLines([{ data: { other: true } }], true)]).toEqual(['{"other":true}\n']);
  });
});

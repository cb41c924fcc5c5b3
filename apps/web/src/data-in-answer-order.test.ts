import { describe, expect, it } from 'vitest';
import { dataInAnswerOrder } from './data-in-answer-order.ts';

describe('dataInAnswerOrder', () => {
  it('keeps the order the model wrote the keys in when the text is the same value', () => {
    const ordered = dataInAnswerOrder({
      text: '{"vendor": "ACME", "total": 12.5, "lines": [{"b": 1, "a": null}]}',
      data: { total: 12.5, lines: [{ a: null, b: 1 }], vendor: 'ACME' },
    });
    expect(JSON.stringify(ordered)).toBe(
      '{"vendor":"ACME","total":12.5,"lines":[{"b":1,"a":null}]}',
    );
  });

  it('gives the stored data when the text differs from it or is not JSON', () => {
    const data = { total: 12.5, vendor: 'ACME' };
    expect(dataInAnswerOrder({ text: '```json\n{}\n```', data })).toBe(data);
    expect(dataInAnswerOrder({ text: '{"vendor": "ACME", "total": 12}', data })).toBe(data);
    expect(dataInAnswerOrder({ text: '[12.5, "ACME"]', data })).toBe(data);
    expect(dataInAnswerOrder({ text: '{"a": 1}', data: null })).toBeNull();
  });
});

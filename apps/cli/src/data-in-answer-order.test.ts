import { describe, expect, it } from 'vitest';
import { dataInAnswerOrder } from './data-in-answer-order.ts';

describe('dataInAnswerOrder', () => {
  it('keeps the order the model wrote the keys in when the text is the same value', () => {
    const ordered = dataInAnswerOrder({
      text: '{"name": "Ada", "age": 36}',
      data: { age: 36, name: 'Ada' },
    });
    expect(JSON.stringify(ordered)).toBe('{"name":"Ada","age":36}');
  });

  it('gives the stored data when the text differs from it or is not JSON', () => {
    const data = { age: 36, name: 'Ada' };
    expect(dataInAnswerOrder({ text: '```json\n{"name": "Ada", "age": 36}\n```', data })).toBe(
      data,
    );
    expect(dataInAnswerOrder({ text: '{"name": "Grace", "age": 36}', data })).toBe(data);
    expect(dataInAnswerOrder({ text: '{"a": 1}', data: null })).toBeNull();
  });
});

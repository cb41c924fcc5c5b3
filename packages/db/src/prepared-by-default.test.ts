import { describe, expect, it } from 'vitest';
import { StatementPreparation } from './prepared-by-default.ts';

describe('StatementPreparation', () => {
  it('prepares a text from its second run on, and keeps it prepared', () => {
    const preparation = new StatementPreparation();
    expect(preparation.shouldPrepare('select $1')).toBe(false);
    expect(preparation.shouldPrepare('select $1')).toBe(true);
    expect(preparation.shouldPrepare('select $1')).toBe(true);
    expect(preparation.preparedCount).toBe(1);
  });

  it('prepares no more than maxStatements texts; the rest run unprepared', () => {
    const preparation = new StatementPreparation({ maxStatements: 2 });
    for (const text of ['a $1', 'b $1', 'c $1']) {
      preparation.shouldPrepare(text);
      preparation.shouldPrepare(text);
    }
    expect(preparation.preparedCount).toBe(2);
    expect(preparation.shouldPrepare('a $1')).toBe(true);
    expect(preparation.shouldPrepare('c $1')).toBe(false);
  });

  it('never prepares a text longer than maxTextLength', () => {
    const preparation = new StatementPreparation({ maxTextLength: 10 });
    const long = `insert ${'($1),'.repeat(5)}`;
    expect(preparation.shouldPrepare(long)).toBe(false);
    expect(preparation.shouldPrepare(long)).toBe(false);
    expect(preparation.preparedCount).toBe(0);
  });

  it('keeps its once-seen texts bounded when every text differs', () => {
    const preparation = new StatementPreparation({ maxStatements: 4 });
    for (let index = 0; index < 10_000; index++) preparation.shouldPrepare(`select ${index}, $1`);
    expect(preparation.preparedCount).toBe(0);
    // A text seen again after the set was last cleared is still prepared on its second run.
    expect(preparation.shouldPrepare('select 9999, $1')).toBe(true);
  });
});

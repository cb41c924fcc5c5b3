import { describe, expect, it } from 'vitest';
import { logFormatOf } from './log-format.ts';

describe('logFormatOf', () => {
  it('is pretty on a terminal and JSON lines elsewhere, unless set', () => {
    expect(logFormatOf('auto', true)).toBe('pretty');
    expect(logFormatOf('auto', false)).toBe('json');
    expect(logFormatOf('json', true)).toBe('json');
    expect(logFormatOf('pretty', false)).toBe('pretty');
  });
});

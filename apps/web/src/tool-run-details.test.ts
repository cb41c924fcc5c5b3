import { describe, expect, it } from 'vitest';
import { readableOutput, shortSummary } from './tool-run-details.ts';

describe('the tool runs’ summaries', () => {
  it('fit on one line of at most 80 characters', () => {
    expect(shortSummary('{"a":1,\n  "b":2}')).toBe('{"a":1, "b":2}');
    const long = shortSummary('x'.repeat(200));
    expect(long).toHaveLength(80);
    expect(long.endsWith('…')).toBe(true);
  });

  it('show JSON output indented, and other output as the tool gave it', () => {
    expect(readableOutput('{"total":3}')).toBe('{\n  "total": 3\n}');
    expect(readableOutput('three')).toBe('three');
  });
});

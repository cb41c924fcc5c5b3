import { describe, expect, it } from 'vitest';
import {
  endedPromptStatuses,
  isEndedStatus,
  promptStatuses,
  unfinishedPromptStatuses,
} from './prompt-statuses.ts';

describe('isEndedStatus', () => {
  it('is true of succeeded, failed and cancelled only', () => {
    expect(promptStatuses.filter((status) => isEndedStatus(status))).toEqual([
      'succeeded',
      'failed',
      'cancelled',
    ]);
  });

  it('is false of a word that is no status', () => {
    expect(isEndedStatus('completed')).toBe(false);
    expect(isEndedStatus('')).toBe(false);
  });

  it('splits the statuses in two: every status is either ended or unfinished', () => {
    expect([...unfinishedPromptStatuses, ...endedPromptStatuses].sort()).toEqual(
      [...promptStatuses].sort(),
    );
    for (const status of unfinishedPromptStatuses) expect(isEndedStatus(status)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { applyPromptEvent, initialAnswerState } from './answer-state.ts';

describe('applyPromptEvent', () => {
  it('appends chunks and ends with usage and duration', () => {
    let state = applyPromptEvent(initialAnswerState, {
      type: 'status',
      status: 'running',
      attempt: 1,
    });
    state = applyPromptEvent(state, { type: 'chunk', text: 'Hel' });
    state = applyPromptEvent(state, { type: 'chunk', text: 'lo' });
    state = applyPromptEvent(state, {
      type: 'done',
      status: 'succeeded',
      usage: { input: 1, output: 2, details: null },
      duration_ms: 40,
    });
    expect(state).toEqual({
      phase: 'succeeded',
      attempt: 1,
      text: 'Hello',
      usage: { input: 1, output: 2, details: null },
      durationMs: 40,
      error: null,
    });
  });

  it('drops the text of a failed attempt when the next one restarts', () => {
    let state = applyPromptEvent(initialAnswerState, { type: 'chunk', text: 'partial' });
    state = applyPromptEvent(state, { type: 'restart', attempt: 2 });
    state = applyPromptEvent(state, { type: 'chunk', text: 'whole' });
    expect(state.text).toBe('whole');
    expect(state.attempt).toBe(2);
  });

  it('keeps the error of a failed or cancelled prompt', () => {
    const state = applyPromptEvent(initialAnswerState, {
      type: 'error',
      status: 'cancelled',
      error: { kind: 'Cancelled', message: 'The prompt was cancelled' },
    });
    expect(state.phase).toBe('cancelled');
    expect(state.error?.kind).toBe('Cancelled');
  });
});

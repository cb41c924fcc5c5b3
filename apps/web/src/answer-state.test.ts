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
      reasoning: '',
      data: null,
      usage: { input: 1, output: 2, details: null },
      durationMs: 40,
      error: null,
    });
  });

  it('keeps reasoning apart from the text, and the data of the done event', () => {
    let state = applyPromptEvent(initialAnswerState, { type: 'reasoning', text: 'Think' });
    state = applyPromptEvent(state, { type: 'chunk', text: '{"name":' });
    state = applyPromptEvent(state, { type: 'reasoning', text: 'ing' });
    state = applyPromptEvent(state, { type: 'chunk', text: '"Ada"}' });
    state = applyPromptEvent(state, {
      type: 'done',
      status: 'succeeded',
      usage: { input: 1, output: 2, details: null },
      duration_ms: 40,
      data: { name: 'Ada' },
    });
    expect(state.reasoning).toBe('Thinking');
    expect(state.text).toBe('{"name":"Ada"}');
    expect(state.data).toEqual({ name: 'Ada' });
  });

  it('drops the text and reasoning of a failed attempt when the next one restarts', () => {
    let state = applyPromptEvent(initialAnswerState, { type: 'chunk', text: 'partial' });
    state = applyPromptEvent(state, { type: 'reasoning', text: 'first thoughts' });
    state = applyPromptEvent(state, { type: 'restart', attempt: 2 });
    state = applyPromptEvent(state, { type: 'chunk', text: 'whole' });
    expect(state.text).toBe('whole');
    expect(state.reasoning).toBe('');
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

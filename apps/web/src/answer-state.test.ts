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
      parts: [{ kind: 'text', text: 'Hello' }],
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

  it('keeps a chain’s text and tool runs in stream order, the text of all its steps joined', () => {
    const call = { id: 'c1', name: 'add', arguments: { a: 1, b: 2 } };
    const result = { tool_call_id: 'c1', name: 'add', output: '3', exception: null };
    let state = applyPromptEvent(initialAnswerState, { type: 'chunk', text: 'Adding' });
    state = applyPromptEvent(state, { type: 'chunk', text: '.' });
    state = applyPromptEvent(state, { type: 'tool_call', step: 1, call });
    state = applyPromptEvent(state, { type: 'tool_result', step: 1, result });
    state = applyPromptEvent(state, { type: 'chunk', text: '' });
    state = applyPromptEvent(state, { type: 'chunk', text: 'It is 3.' });
    expect(state.parts).toEqual([
      { kind: 'text', text: 'Adding.' },
      { kind: 'tool_call', step: 1, call },
      { kind: 'tool_result', step: 1, result },
      { kind: 'text', text: 'It is 3.' },
    ]);
    expect(state.text).toBe('Adding.It is 3.');
    state = applyPromptEvent(state, { type: 'restart', attempt: 2 });
    expect(state.parts).toEqual([]);
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

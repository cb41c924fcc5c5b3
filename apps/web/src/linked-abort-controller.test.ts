import { describe, expect, it, vi } from 'vitest';
import { linkedAbortController } from './linked-abort-controller.ts';

describe('linkedAbortController', () => {
  it('aborts when its parent aborts, with the parent reason', () => {
    const parent = new AbortController();
    const child = linkedAbortController(parent.signal);
    const reason = new Error('page left');
    parent.abort(reason);
    expect(child.signal.aborted).toBe(true);
    expect(child.signal.reason).toBe(reason);
  });

  it('is born aborted under an aborted parent', () => {
    const parent = new AbortController();
    parent.abort();
    expect(linkedAbortController(parent.signal).signal.aborted).toBe(true);
  });

  it('aborts alone, leaving its parent and siblings running', () => {
    const parent = new AbortController();
    const first = linkedAbortController(parent.signal);
    const second = linkedAbortController(parent.signal);
    first.abort();
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(false);
    expect(parent.signal.aborted).toBe(false);
  });

  it('stops listening to its parent once aborted', () => {
    const parent = new AbortController();
    const added = vi.spyOn(parent.signal, 'addEventListener');
    const removed = vi.spyOn(parent.signal, 'removeEventListener');
    linkedAbortController(parent.signal).abort();
    expect(removed).toHaveBeenCalledWith('abort', added.mock.calls[0]?.[1]);
  });
});

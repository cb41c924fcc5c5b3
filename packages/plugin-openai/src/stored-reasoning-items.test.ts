import { describe, expect, it } from 'vitest';
import { storedReasoningItems } from './stored-reasoning-items.ts';

const reasoning = {
  type: 'reasoning',
  id: 'rs_1',
  summary: [{ type: 'summary_text', text: 'Think.' }],
  encrypted_content: 'gAAAAAxyz',
};

describe('storedReasoningItems', () => {
  it('takes the encrypted reasoning items of a stored Responses payload, in order', () => {
    const call = { type: 'function_call', id: 'fc_1', call_id: 'c', name: 'f', arguments: '{}' };
    const second = { ...reasoning, id: 'rs_2', summary: [] };
    const payload = { object: 'response', output: [reasoning, call, second] };
    expect(storedReasoningItems(payload)).toEqual([reasoning, second]);
  });

  it('gives none for any other payload or an item without encrypted content', () => {
    const { encrypted_content: _left, ...plain } = reasoning;
    expect(storedReasoningItems({ object: 'response', output: [plain] })).toEqual([]);
    expect(storedReasoningItems({ object: 'chat.completion', output: [reasoning] })).toEqual([]);
    expect(storedReasoningItems(undefined)).toEqual([]);
    expect(storedReasoningItems('text')).toEqual([]);
  });

  it('gives none to another model than the one that reasoned; a snapshot name is the model', () => {
    const payload = { object: 'response', model: 'o4-mini-2025-04-16', output: [reasoning] };
    expect(storedReasoningItems(payload, 'o4-mini')).toEqual([reasoning]);
    expect(storedReasoningItems(payload, 'o4-mini-2025-04-16')).toEqual([reasoning]);
    expect(storedReasoningItems(payload, 'o3')).toEqual([]);
  });
});

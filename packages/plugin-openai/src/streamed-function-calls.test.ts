import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import { StreamedFunctionCalls } from './streamed-function-calls.ts';

const added = (index: number, id: string, callId: string, name: string) =>
  ({
    type: 'response.output_item.added',
    output_index: index,
    sequence_number: 0,
    item: { type: 'function_call', id, call_id: callId, name, arguments: '' },
  }) as ResponseStreamEvent;
const delta = (index: number, id: string, piece: string) =>
  ({
    type: 'response.function_call_arguments.delta',
    output_index: index,
    item_id: id,
    delta: piece,
    sequence_number: 0,
  }) as ResponseStreamEvent;

describe('StreamedFunctionCalls', () => {
  it('assembles argument deltas by item, the calls in output order, call_id as their id', () => {
    const calls = new StreamedFunctionCalls();
    for (const event of [
      added(2, 'fc_b', 'call_b', 'second'),
      added(1, 'fc_a', 'call_a', 'first'),
      delta(2, 'fc_b', '{"n":'),
      delta(1, 'fc_a', '{}'),
      delta(2, 'fc_b', '2}'),
    ]) {
      calls.add(event);
    }
    expect(calls.calls()).toEqual([
      { id: 'call_a', name: 'first', arguments: {} },
      { id: 'call_b', name: 'second', arguments: { n: 2 } },
    ]);
  });

  it('takes the whole arguments of the done events over the pieces', () => {
    const calls = new StreamedFunctionCalls();
    calls.add(added(0, 'fc_a', 'call_a', 'f'));
    calls.add(delta(0, 'fc_a', '{"lost'));
    calls.add({
      type: 'response.function_call_arguments.done',
      output_index: 0,
      item_id: 'fc_a',
      arguments: '{"x":1}',
      sequence_number: 0,
    } as ResponseStreamEvent);
    expect(calls.calls()).toEqual([{ id: 'call_a', name: 'f', arguments: { x: 1 } }]);
  });
});

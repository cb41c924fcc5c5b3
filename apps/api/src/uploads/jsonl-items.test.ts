import { Readable } from 'node:stream';
import { PayloadTooLargeError } from '@llmq/engine';
import { splitBytes } from '@llmq/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidJsonlError, readJsonlItems } from './jsonl-items.ts';

type LineModel =
  | { readonly kind: 'item'; readonly value: unknown }
  | { readonly kind: 'blank'; readonly text: string }
  | { readonly kind: 'broken'; readonly text: string };

const isBroken = (text: string) => {
  if (text.trim() === '') return false;
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
};

const item = fc
  .jsonValue()
  .map((value) => ({ kind: 'item' as const, value: JSON.parse(JSON.stringify(value)) }));
const blank = fc
  .constantFrom('', ' ', '\t', '  \t ', '\u00a0')
  .map((text) => ({ kind: 'blank' as const, text }));
const broken = fc
  .oneof(
    fc.constantFrom('{broken', '{"prompt":"x"', 'undefined', "{'a':1}", '[1,]', '"open'),
    fc.string({ maxLength: 60 }),
  )
  .filter((text) => !/[\r\n]/.test(text) && !text.startsWith('\uFEFF') && isBroken(text))
  .map((text) => ({ kind: 'broken' as const, text }));

const textOf = (line: LineModel) => (line.kind === 'item' ? JSON.stringify(line.value) : line.text);

/** What the parser must answer for these lines: the model, line by line. */
function expected(lines: readonly LineModel[], maxItems: number) {
  const items: unknown[] = [];
  const numbers: number[] = [];
  for (const [index, line] of lines.entries()) {
    if (line.kind === 'blank') continue;
    if (items.length === maxItems) return { error: PayloadTooLargeError, line: index + 1 };
    if (line.kind === 'broken') return { error: InvalidJsonlError, line: index + 1 };
    items.push(line.value);
    numbers.push(index + 1);
  }
  return { items, lines: numbers };
}

/** Lines as long as the model's ever are (the line limit has its own test). */
const limitsOf = (maxItems: number) => ({
  maxItems,
  maxLineBytes: 1024 * 1024,
  lineSetting: 'LLMQ_MAX_JSON_BYTES',
});

describe('readJsonlItems, against a model of the lines', () => {
  it('gives exactly the items and their line numbers, or the right error naming the line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof({ arbitrary: item, weight: 5 }, blank, broken), { maxLength: 40 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 30 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        async (lines, ending, finalNewline, byteOrderMark, maxItems, cuts) => {
          const text = lines.map(textOf).join(ending) + (finalNewline ? ending : '');
          const bytes = Buffer.from((byteOrderMark ? '\uFEFF' : '') + text);
          const stream = Readable.from(splitBytes(bytes, cuts));
          const want = expected(lines, maxItems);
          if ('error' in want) {
            const failure = await readJsonlItems(stream, limitsOf(maxItems)).catch(
              (error: unknown) => error,
            );
            expect(failure).toBeInstanceOf(want.error);
            if (failure instanceof InvalidJsonlError) expect(failure.line).toBe(want.line);
            // It stopped reading: the rest of the file is not parsed, and the stream is let go.
            expect(stream.destroyed).toBe(true);
          } else {
            expect(await readJsonlItems(stream, limitsOf(maxItems))).toEqual(want);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('refuses the first line past the limit while the file is still arriving', async () => {
    let served = 0;
    async function* endless() {
      for (;;) {
        served++;
        yield Buffer.from('{"prompt":"again"}\n');
      }
    }
    const stream = Readable.from(endless());
    await expect(readJsonlItems(stream, limitsOf(100))).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    expect(served).toBeLessThan(200);
    expect(stream.destroyed).toBe(true);
  });

  it('a stream that fails midway rejects with its error', async () => {
    const stream = new Readable({ read() {} });
    stream.push('{"a":1}\n{"b":');
    const reading = readJsonlItems(stream, limitsOf(10));
    stream.destroy(new Error('connection reset'));
    await expect(reading).rejects.toThrow('connection reset');
  });

  it('refuses a line longer than the limit while it is still arriving, naming the setting', async () => {
    let served = 0;
    async function* oneEndlessLine() {
      yield Buffer.from('{"prompt":"fine"}\n{"prompt":"');
      for (;;) {
        served++;
        yield Buffer.alloc(1024, 'a');
      }
    }
    const stream = Readable.from(oneEndlessLine());
    const failure = await readJsonlItems(stream, {
      maxItems: 10,
      maxLineBytes: 64 * 1024,
      lineSetting: 'LLMQ_MAX_JSON_BYTES',
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PayloadTooLargeError);
    expect((failure as Error).message).toMatch(
      /line 2 is longer than 65536 bytes \(LLMQ_MAX_JSON_BYTES\)/,
    );
    expect(served).toBeLessThan(80);
    expect(stream.destroyed).toBe(true);
  });
});

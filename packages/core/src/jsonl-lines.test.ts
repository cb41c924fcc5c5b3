import { describe, expect, it } from 'vitest';
import { jsonlLines } from './jsonl-lines.ts';

function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

async function collect(body: ReadableStream<Uint8Array> | null): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of jsonlLines(body)) lines.push(line);
  return lines;
}

describe('jsonlLines', () => {
  it('gives each non-blank line once, however the bytes are cut, the last without its newline', async () => {
    const bytes = new TextEncoder().encode('{"a":"é"}\n\n  \n{"b":2}\r\n{"c":"日本"}');
    // One byte per chunk: lines and multi-byte characters are cut everywhere they can be.
    const chunks = [...bytes].map((byte) => Uint8Array.of(byte));
    expect(await collect(streamOf(chunks))).toEqual(['{"a":"é"}', '{"b":2}\r', '{"c":"日本"}']);
  });

  it('gives nothing for no body and for an empty one', async () => {
    expect(await collect(null)).toEqual([]);
    expect(await collect(streamOf([]))).toEqual([]);
  });
});

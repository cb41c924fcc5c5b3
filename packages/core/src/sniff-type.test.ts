import { sampleFiles } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { canonicalMimeType, sniffType } from './sniff-type.ts';

describe('sniffType', () => {
  it.each([
    ['png', 'image/png'],
    ['jpeg', 'image/jpeg'],
    ['gif', 'image/gif'],
    ['webp', 'image/webp'],
    ['pdf', 'application/pdf'],
    ['wav', 'audio/wav'],
    ['mp3', 'audio/mpeg'],
  ] as const)('recognises %s bytes as %s', async (name, type) => {
    expect(await sniffType(sampleFiles[name])).toBe(type);
  });

  it('gives undefined, never an empty string, for bytes without a known signature', async () => {
    expect(await sniffType(sampleFiles.text)).toBeUndefined();
    expect(await sniffType(new Uint8Array())).toBeUndefined();
  });
});

describe('canonicalMimeType', () => {
  it('normalises wave spellings to audio/wav and mp3 spellings to audio/mpeg', () => {
    expect(canonicalMimeType('audio/wave')).toBe('audio/wav');
    expect(canonicalMimeType('audio/x-wav')).toBe('audio/wav');
    expect(canonicalMimeType('audio/mp3')).toBe('audio/mpeg');
  });

  it('drops parameters and case', () => {
    expect(canonicalMimeType('Image/PNG; charset=binary')).toBe('image/png');
  });
});

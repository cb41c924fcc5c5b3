import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ProviderKeyUnreadableError, SecretBox } from './secret-box.ts';

const box = new SecretBox(randomBytes(32));
const key = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

describe('SecretBox', () => {
  it('opens what it sealed, and the sealed text holds no part of the key', () => {
    const sealed = box.seal('openai', key);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(key.slice(8, 20));
    expect(
      Buffer.from(sealed.split('.')[3] as string, 'base64url').toString('latin1'),
    ).not.toContain('abcdefgh');
    expect(box.open('openai', sealed)).toBe(key);
  });

  it('seals the same key differently each time (a random IV per seal)', () => {
    expect(box.seal('openai', key)).not.toBe(box.seal('openai', key));
  });

  it('refuses a sealed key under another name, altered, or with another secret', () => {
    const sealed = box.seal('openai', key);
    expect(() => box.open('anthropic', sealed)).toThrow(ProviderKeyUnreadableError);
    const [version, iv, tag, ciphertext] = sealed.split('.') as [string, string, string, string];
    const flipped = Buffer.from(ciphertext, 'base64url');
    flipped[0] = (flipped[0] as number) ^ 1;
    const altered = [version, iv, tag, flipped.toString('base64url')].join('.');
    expect(() => box.open('openai', altered)).toThrow(ProviderKeyUnreadableError);
    expect(() => new SecretBox(randomBytes(32)).open('openai', sealed)).toThrow(
      /does not open with this process's LLMQ_SECRET_KEY/,
    );
    expect(() => box.open('openai', 'plain-text-key')).toThrow(ProviderKeyUnreadableError);
  });
});

import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host.ts';

describe('isLoopbackHost', () => {
  it('takes localhost, 127.0.0.0/8 and ::1, bracketed or not', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
      expect(isLoopbackHost(host), host).toBe(true);
    }
  });

  it('refuses other addresses and names, those that only start like a loopback address too', () => {
    for (const host of [
      'evil.example',
      '0.0.0.0',
      '10.0.0.1',
      '127.0.0.1.evil.example',
      '127.evil.example',
      'localhost.evil.example',
      '[::2]',
      '',
    ]) {
      expect(isLoopbackHost(host), host).toBe(false);
    }
  });
});

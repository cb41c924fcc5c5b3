import { isIPv4 } from 'node:net';

const loopbackNames = new Set(['localhost', '::1', '[::1]']);

/**
 * Whether a host name or address is this machine's loopback: `localhost`, 127.0.0.0/8 or ::1
 * (bracketed or not, as a URL writes it). An IPv4 address is checked whole, so a DNS name such
 * as `127.0.0.1.example.com`, which anyone can point anywhere, is not loopback.
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase();
  return loopbackNames.has(name) || (isIPv4(name) && name.startsWith('127.'));
}

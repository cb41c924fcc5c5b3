import { describe, expect, it } from 'vitest';
import { addressRange } from './address-range.ts';

describe('addressRange', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['8.8.8.8', 'unicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['2606:4700::1', 'unicast'],
  ])('%s is %s', (address, range) => {
    expect(addressRange(address)).toBe(range);
  });

  it.each([
    ['IPv4-compatible', '::127.0.0.1', 'loopback'],
    ['IPv4-compatible, as a URL writes it', '::7f00:1', 'loopback'],
    ['IPv4-compatible private', '::a00:1', 'private'],
    ['IPv4-compatible low', '::2', 'unspecified'],
    ['IPv4-mapped', '::ffff:127.0.0.1', 'loopback'],
    ['IPv4-mapped in hex', '::ffff:7f00:1', 'loopback'],
    ['IPv4-mapped metadata', '::ffff:169.254.169.254', 'linkLocal'],
    ['IPv4-translated', '::ffff:0:7f00:1', 'loopback'],
    ['NAT64', '64:ff9b::7f00:1', 'loopback'],
    ['NAT64 private', '64:ff9b::10.0.0.1', 'private'],
    ['6to4', '2002:7f00:1::', 'loopback'],
    ['6to4 metadata', '2002:a9fe:a9fe::1', 'linkLocal'],
  ])('judges %s %s by the IPv4 it carries', (_form, address, range) => {
    expect(addressRange(address)).toBe(range);
  });

  it.each([
    ['IPv4-mapped', '::ffff:8.8.8.8'],
    ['NAT64 (DNS64 on an IPv6-only network)', '64:ff9b::808:808'],
    ['6to4', '2002:808:808::1'],
  ])('lets %s of a public IPv4 pass', (_form, address) => {
    expect(addressRange(address)).toBe('unicast');
  });

  it.each([
    ['Teredo', '2001:0:4136:e378:8000:63bf:80ff:fffe', 'teredo'],
    ['local-use NAT64', '64:ff9b:1::808:808', 'rfc6052'],
  ])('refuses %s as what it is', (_form, address, range) => {
    expect(addressRange(address)).toBe(range);
  });
});

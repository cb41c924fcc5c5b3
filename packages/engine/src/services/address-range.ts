import ipaddr from 'ipaddr.js';

/**
 * The IPv4 address an IPv6 one stands for, where it embeds one: IPv4-mapped (`::ffff:a.b.c.d`),
 * IPv4-compatible (`::a.b.c.d`), IPv4-translated (`::ffff:0:a.b.c.d`), NAT64's well-known prefix
 * (`64:ff9b::a.b.c.d`) and 6to4 (`2002:aabb:ccdd::`). Each can reach the IPv4 host it names,
 * so each must be judged as that host.
 */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const parts = address.parts;
  const bytes = address.toByteArray();
  const last = () => new ipaddr.IPv4(bytes.slice(12, 16));
  const zeros = (count: number) => parts.slice(0, count).every((part) => part === 0);
  if (zeros(5) && (parts[5] === 0xffff || parts[5] === 0)) return last();
  if (zeros(4) && parts[4] === 0xffff && parts[5] === 0) return last();
  const wellKnownNat64 = parts[0] === 0x64 && parts[1] === 0xff9b;
  if (wellKnownNat64 && parts.slice(2, 6).every((part) => part === 0)) return last();
  if (parts[0] === 0x2002) return new ipaddr.IPv4(bytes.slice(2, 6));
  return undefined;
}

/**
 * The ipaddr.js range of an address (`unicast` for a public one), with an IPv6 address that
 * embeds an IPv4 one judged by that IPv4: `::127.0.0.1` is loopback, `64:ff9b::808:808` (DNS64
 * on an IPv6-only network) is as public as 8.8.8.8. `::` and `::1` keep their own ranges, and
 * Teredo and NAT64's local-use prefix (`64:ff9b:1::/48`, whose layout each network chooses)
 * stay refused as what they are.
 */
export function addressRange(address: string): string {
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return parsed.range();
  const range = parsed.range();
  if (range === 'unspecified' || range === 'loopback') return range;
  const carried = embeddedIPv4(parsed as ipaddr.IPv6);
  return carried ? carried.range() : range;
}

import { ModuleInputError } from '@kusion/module-sdk';
/**
 * IPv4 CIDR arithmetic for `securityIPs`: a managed instance is publicly accessible only when some allowed
 * range reaches beyond the private, shared, loopback and link-local blocks.
 */

/** An IPv4 range: network address as an unsigned 32-bit number and prefix length. */
export interface Ipv4Range {
  readonly address: number;
  readonly prefix: number;
}

/** Address blocks never routed on the public internet. */
const nonPublicBlocks: readonly string[] = [
  '10.0.0.0/8', // RFC 1918
  '172.16.0.0/12', // RFC 1918
  '192.168.0.0/16', // RFC 1918
  '100.64.0.0/10', // RFC 6598 shared address space
  '127.0.0.0/8', // loopback
  '169.254.0.0/16', // link-local
];

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** Parses `a.b.c.d/n` or a bare address (`/32`); throws on anything else. */
export function parseIpv4Cidr(text: string): Ipv4Range {
  const [ip, prefixText] = text.split('/');
  const octets = (ip ?? '').split('.').map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : Number.NaN));
  const prefix =
    prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (
    octets.length !== 4 ||
    octets.some((octet) => !(octet >= 0 && octet <= 255)) ||
    !(prefix >= 0 && prefix <= 32)
  ) {
    throw new ModuleInputError(`"${text}" is not an IPv4 CIDR such as 10.0.0.0/8`);
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  return { address, prefix };
}

/** `a.b.c.d/n` with host bits cleared, the form cloud APIs accept. */
export function formatIpv4Range(range: Ipv4Range): string {
  const { address, prefix } = range;
  const octets = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255];
  return `${octets.join('.')}/${prefix}`;
}

/** The range with its host bits cleared (`10.0.0.1/8` → `10.0.0.0/8`). */
export function networkOf(range: Ipv4Range): Ipv4Range {
  return { address: (range.address & mask(range.prefix)) >>> 0, prefix: range.prefix };
}

/** True when the range has host bits set (e.g. `10.0.0.1/8`). */
export function hasHostBits(range: Ipv4Range): boolean {
  return (range.address & ~mask(range.prefix)) >>> 0 !== 0;
}

function contains(outer: Ipv4Range, inner: Ipv4Range): boolean {
  return inner.prefix >= outer.prefix && (inner.address & mask(outer.prefix)) >>> 0 === outer.address;
}

/** True when any part of the range is publicly routable. */
export function isPublicRange(range: Ipv4Range): boolean {
  return !nonPublicBlocks.some((block) => contains(parseIpv4Cidr(block), range));
}

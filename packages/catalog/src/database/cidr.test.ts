import { describe, expect, it } from 'vitest';
import { formatIpv4Range, hasHostBits, isPublicRange, networkOf, parseIpv4Cidr } from './cidr.js';

const isPublic = (cidr: string) => isPublicRange(parseIpv4Cidr(cidr));

describe('isPublicRange', () => {
  it('treats private, shared, loopback and link-local ranges as not public', () => {
    for (const cidr of [
      '10.0.0.0/8',
      '10.1.2.0/24',
      '172.16.0.0/12',
      '172.31.255.255',
      '192.168.1.0/24',
      '100.64.0.0/10',
      '127.0.0.1',
      '169.254.0.0/16',
    ]) {
      expect(isPublic(cidr), cidr).toBe(false);
    }
  });

  it('treats anything reaching beyond those blocks as public, including wider supersets', () => {
    for (const cidr of [
      '0.0.0.0/0',
      '8.8.8.8',
      '52.1.0.0/16',
      '10.0.0.0/7',
      '172.32.0.0/16',
      '192.169.0.0/16',
    ]) {
      expect(isPublic(cidr), cidr).toBe(true);
    }
  });
});

describe('parseIpv4Cidr', () => {
  it('reads addresses as /32 and reports host bits', () => {
    expect(formatIpv4Range(parseIpv4Cidr('10.1.2.3'))).toBe('10.1.2.3/32');
    expect(hasHostBits(parseIpv4Cidr('10.0.0.1/8'))).toBe(true);
    expect(hasHostBits(parseIpv4Cidr('10.0.0.0/8'))).toBe(false);
    expect(formatIpv4Range(networkOf(parseIpv4Cidr('10.9.8.7/16')))).toBe('10.9.0.0/16');
  });

  it('rejects malformed input', () => {
    for (const text of ['10.0.0/8', '256.0.0.0/8', '10.0.0.0/33', 'fe80::/10', '']) {
      expect(() => parseIpv4Cidr(text), text).toThrow('is not an IPv4 CIDR');
    }
  });
});

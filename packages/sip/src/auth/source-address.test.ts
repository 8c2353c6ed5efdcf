import { describe, expect, it } from 'vitest';
import { sourceKeyOf } from './source-address.ts';

describe('sourceKeyOf', () => {
  it('keeps IPv4 and unwraps IPv4-mapped IPv6', () => {
    expect(sourceKeyOf('192.0.2.10')).toBe('192.0.2.10');
    expect(sourceKeyOf('::ffff:192.0.2.10')).toBe('192.0.2.10');
    expect(sourceKeyOf('::FFFF:192.0.2.10')).toBe('192.0.2.10');
  });

  it('groups IPv6 by /64 in one spelling', () => {
    expect(sourceKeyOf('2001:db8:0:1::5')).toBe('2001:db8:0:1::/64');
    expect(sourceKeyOf('2001:0DB8:0000:0001:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(sourceKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(sourceKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(sourceKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(sourceKeyOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
  });

  it('leaves anything else as it is', () => {
    expect(sourceKeyOf('ws-conn-42')).toBe('ws-conn-42');
  });
});

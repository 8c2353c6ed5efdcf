import { describe, expect, it } from 'vitest';
import { ValueScanner } from './lexical.ts';
import { getParam, hasParam, readParams, serializeParams } from './params.ts';
import { SipParseError } from './parse-error.ts';

describe('header parameters (RFC 3261 §25.1 generic-param)', () => {
  it('reads token, host, IPv6 and quoted values, and flags', () => {
    const params = readParams(
      new ValueScanner(';tag=a1 ; lr ;maddr=[2001:db8::1];x="a;b"'),
      'test',
    );
    expect(params).toEqual([
      { name: 'tag', value: 'a1' },
      { name: 'lr', value: undefined },
      { name: 'maddr', value: '[2001:db8::1]' },
      { name: 'x', value: '"a;b"' },
    ]);
    expect(getParam(params, 'TAG')).toBe('a1');
    expect(hasParam(params, 'LR')).toBe(true);
    expect(serializeParams(params)).toBe(';tag=a1;lr;maddr=[2001:db8::1];x="a;b"');
  });

  it.each([';', ';=x', ';a=', ';a="open', ';a=[::1'])('refuses %j', (text) => {
    expect(() => readParams(new ValueScanner(text), 'test')).toThrow(SipParseError);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ValueScanner,
  escapePercent,
  isToken,
  quoteString,
  trimWhitespace,
  unescapePercent,
} from './lexical.ts';
import { SipParseError } from './parse-error.ts';

describe('RFC 3261 §25.1 basic rules', () => {
  it('recognises tokens', () => {
    expect(isToken("!interesting-Method0123456789_*+`.%indeed'~")).toBe(true);
    expect(isToken('a b')).toBe(false);
    expect(isToken('')).toBe(false);
  });

  it('reads quoted strings with quoted-pairs, refusing unterminated ones', () => {
    const scanner = new ValueScanner('"a \\"b\\" \\\\c" rest');
    expect(scanner.readQuotedString()).toEqual({ raw: '"a \\"b\\" \\\\c"', value: 'a "b" \\c' });
    expect(scanner.rest()).toBe(' rest');
    expect(() => new ValueScanner('"open').readQuotedString()).toThrow(SipParseError);
    expect(() => new ValueScanner('"ends in \\').readQuotedString()).toThrow(SipParseError);
  });

  it('unescapes %-escapes as UTF-8 and escapes back', () => {
    expect(unescapePercent('%D0%B4a%20', 'test')).toBe('дa ');
    expect(() => unescapePercent('%G1', 'test')).toThrow(SipParseError);
    expect(() => unescapePercent('%4', 'test')).toThrow(SipParseError);
    expect(escapePercent('a b@д', /[a-z]/)).toBe('a%20b%40%D0%B4');
  });

  it('quotes and trims only SP and HTAB', () => {
    expect(quoteString('say "hi" \\o/')).toBe('"say \\"hi\\" \\\\o/"');
    expect(trimWhitespace(' \t\uFEFFx \t')).toBe('\uFEFFx');
  });
});

import { describe, expect, it } from 'vitest';
import { dialTarget, isDialPadKey, sipUriFor, webSocketUrlFor } from './dial-target.ts';

describe('dialTarget', () => {
  it('keeps extensions, E.164 numbers and feature codes, dropping what people type between digits', () => {
    expect(dialTarget('302')).toBe('302');
    expect(dialTarget(' +7 (495) 123-45-67 ')).toBe('+74951234567');
    expect(dialTarget('*72#')).toBe('*72#');
    expect(dialTarget('8.800.555')).toBe('8800555');
  });

  it('refuses what is no number', () => {
    for (const typed of ['', '   ', 'hello', '30a', '++7', '7+', 'sip:302@x', '1'.repeat(33)]) {
      expect(dialTarget(typed), typed).toBeNull();
    }
  });
});

describe('sipUriFor', () => {
  it("puts the number in the tenant's domain, escaping # (RFC 3261 §25.1)", () => {
    expect(sipUriFor('302', 'acme.provod.local')).toBe('sip:302@acme.provod.local');
    expect(sipUriFor('*72#', 'acme.provod.local')).toBe('sip:*72%23@acme.provod.local');
  });
});

describe('webSocketUrlFor', () => {
  it('uses the page origin, wss for https pages (RFC 7118 §5)', () => {
    expect(webSocketUrlFor({ protocol: 'http:', host: '127.0.0.1:8080' }, '/sip')).toBe(
      'ws://127.0.0.1:8080/sip',
    );
    expect(webSocketUrlFor({ protocol: 'https:', host: 'pbx.example.com' }, '/ws/sip')).toBe(
      'wss://pbx.example.com/ws/sip',
    );
  });
});

describe('isDialPadKey', () => {
  it('knows the twelve keys and nothing else', () => {
    expect(['0', '9', '*', '#'].every(isDialPadKey)).toBe(true);
    expect(['A', '', '10', '+'].some(isDialPadKey)).toBe(false);
  });
});

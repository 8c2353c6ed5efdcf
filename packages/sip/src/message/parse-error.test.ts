import { describe, expect, it } from 'vitest';
import { SipParseError, isSipParseError, sipParseErrorCatalogue } from './parse-error.ts';

describe('SipParseError', () => {
  it('takes its status from the catalogue unless told otherwise', () => {
    expect(new SipParseError('bad_header', 'x').status).toBe(400);
    expect(new SipParseError('too_large', 'x').status).toBe(513);
    expect(new SipParseError('bad_version', 'x').status).toBe(505);
    expect(new SipParseError('bad_header', 'x', 420).status).toBe(420);
  });

  it('is recognisable without looking at its message', () => {
    expect(isSipParseError(new SipParseError('bad_uri', 'x'))).toBe(true);
    expect(isSipParseError(new Error('bad_uri'))).toBe(false);
  });

  it('gives every code a SIP error status', () => {
    for (const { status } of Object.values(sipParseErrorCatalogue)) {
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
  });
});

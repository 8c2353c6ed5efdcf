import { describe, expect, it } from 'vitest';
import { isDtmfError } from './dtmf-error.ts';
import { parseDtmfBody, parseDtmfRelayBody, parseSipInfoDtmf } from './sip-info-dtmf.ts';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isDtmfError(error) ? error.code : 'not a DtmfError';
  }
  return undefined;
}

describe('application/dtmf-relay', () => {
  it('parses Signal and Duration', () => {
    expect(parseDtmfRelayBody('Signal=5\r\nDuration=160\r\n')).toEqual({
      digit: '5',
      durationMs: 160,
    });
  });

  it('tolerates bare LF, spacing, key case, lower-case A–D and a missing Duration', () => {
    expect(parseDtmfRelayBody('signal = d\nDURATION= 250')).toEqual({
      digit: 'D',
      durationMs: 250,
    });
    expect(parseDtmfRelayBody('Signal=#')).toEqual({ digit: '#', durationMs: undefined });
    expect(parseDtmfRelayBody('Signal=*\r\nDuration=100')).toMatchObject({ digit: '*' });
  });

  it('accepts RFC 4733 event codes for * # A–D', () => {
    expect(parseDtmfRelayBody('Signal=10').digit).toBe('*');
    expect(parseDtmfRelayBody('Signal=11').digit).toBe('#');
    expect(parseDtmfRelayBody('Signal=12').digit).toBe('A');
  });

  it('rejects bodies without a usable Signal or Duration', () => {
    expect(codeOf(() => parseDtmfRelayBody('Duration=160'))).toBe('malformed_body');
    expect(codeOf(() => parseDtmfRelayBody('Signal=\r\n'))).toBe('malformed_body');
    expect(codeOf(() => parseDtmfRelayBody('Signal 5'))).toBe('malformed_body');
    expect(codeOf(() => parseDtmfRelayBody('Signal=5\r\nDuration=-1'))).toBe('malformed_body');
    expect(codeOf(() => parseDtmfRelayBody('Signal=X'))).toBe('unknown_digit');
    expect(codeOf(() => parseDtmfRelayBody('Signal=16'))).toBe('unknown_digit');
  });
});

describe('application/dtmf and the Content-Type switch', () => {
  it('parses a bare key', () => {
    expect(parseDtmfBody('7\r\n')).toEqual({ digit: '7', durationMs: undefined });
    expect(codeOf(() => parseDtmfBody('77'))).toBe('unknown_digit');
    expect(codeOf(() => parseDtmfBody(''))).toBe('unknown_digit');
  });

  it('chooses the parser by media type, ignoring case and parameters', () => {
    expect(parseSipInfoDtmf('Application/DTMF-Relay; charset=utf-8', 'Signal=9').digit).toBe('9');
    expect(parseSipInfoDtmf('application/dtmf', '#').digit).toBe('#');
    expect(codeOf(() => parseSipInfoDtmf('application/sdp', 'v=0'))).toBe(
      'unsupported_content_type',
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  answerDirection,
  effectiveDirection,
  holdDirection,
  resumeDirection,
  reverseDirection,
} from './direction.ts';
import * as fixtures from './fixtures.ts';
import { parseSdp } from './parse.ts';
import type { MediaDirection } from './types.ts';

function firstMediaDirection(text: string): MediaDirection {
  const sdp = parseSdp(text);
  const [media] = sdp.media;
  if (!media) throw new Error('fixture has no m= line');
  return effectiveDirection(sdp, media);
}

describe('mediaDirections', () => {
  it('answers per the RFC 3264 §6.1 table', () => {
    const table: [MediaDirection, MediaDirection, MediaDirection][] = [
      ['sendrecv', 'sendrecv', 'sendrecv'],
      ['sendrecv', 'sendonly', 'sendonly'],
      ['sendrecv', 'inactive', 'inactive'],
      ['sendonly', 'sendrecv', 'recvonly'],
      ['sendonly', 'sendonly', 'inactive'],
      ['recvonly', 'sendrecv', 'sendonly'],
      ['recvonly', 'recvonly', 'inactive'],
      ['inactive', 'sendrecv', 'inactive'],
    ];
    for (const [offered, wish, answered] of table) {
      expect(answerDirection(offered, wish), `${offered} + ${wish}`).toBe(answered);
    }
  });

  it('holds per RFC 3264 §8.4 and resumes', () => {
    expect(holdDirection('sendrecv')).toBe('sendonly');
    expect(holdDirection('recvonly')).toBe('inactive');
    expect(resumeDirection('sendonly')).toBe('sendrecv');
    expect(resumeDirection('inactive')).toBe('recvonly');
    expect(reverseDirection('sendonly')).toBe('recvonly');
  });

  it('reads media-level, then session-level, then the sendrecv default', () => {
    expect(firstMediaDirection(fixtures.rfc3264InactiveOffer)).toBe('inactive');
    const sessionLevel =
      'v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\na=recvonly\r\nm=audio 4000 RTP/AVP 0\r\n';
    expect(firstMediaDirection(sessionLevel)).toBe('recvonly');
    expect(firstMediaDirection(fixtures.rfc4317HoldOffer)).toBe('sendrecv');
  });

  it('reads c=0.0.0.0 as the RFC 2543 hold, but not in an ICE offer (JSEP)', () => {
    expect(firstMediaDirection(fixtures.rfc4317BlackHoleOffer)).toBe('sendonly');
    expect(firstMediaDirection(fixtures.chromiumOffer)).toBe('sendrecv');
  });
});

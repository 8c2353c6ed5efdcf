import { describe, expect, it } from 'vitest';
import { NonceIssuer } from './nonce.ts';

const secret = Buffer.alloc(32, 7);
const otherSecret = Buffer.alloc(32, 9);
const t0 = new Date('2025-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('NonceIssuer', () => {
  const issuer = new NonceIssuer({ secret, randomBytes: (size) => Buffer.alloc(size, 0xab) });

  it('issues a 52-character base64url nonce that is valid for its lifetime', () => {
    const nonce = issuer.issueNonce(t0);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{52}$/);
    expect(issuer.checkNonce(nonce, t0)).toBe('valid');
    expect(issuer.checkNonce(nonce, at(5 * 60_000))).toBe('valid');
    expect(issuer.checkNonce(nonce, at(5 * 60_000 + 1))).toBe('stale');
  });

  it('differs per call with real randomness', () => {
    const real = new NonceIssuer({ secret });
    expect(real.issueNonce(t0)).not.toBe(real.issueNonce(t0));
  });

  it('honours a configured lifetime', () => {
    const short = new NonceIssuer({ secret, lifetimeMs: 1_000 });
    const nonce = short.issueNonce(t0);
    expect(short.checkNonce(nonce, at(1_000))).toBe('valid');
    expect(short.checkNonce(nonce, at(1_001))).toBe('stale');
  });

  it('calls a nonce from well in the future stale (our clock stepped back)', () => {
    const nonce = issuer.issueNonce(at(60_000));
    expect(issuer.checkNonce(nonce, at(59_000))).toBe('valid');
    expect(issuer.checkNonce(nonce, t0)).toBe('stale');
  });

  it('calls forged, tampered and garbled nonces invalid', () => {
    const nonce = issuer.issueNonce(t0);
    const forged = new NonceIssuer({ secret: otherSecret }).issueNonce(t0);
    expect(issuer.checkNonce(forged, t0)).toBe('invalid');
    // Flip one bit of the time stamp: the MAC no longer matches.
    const bytes = Buffer.from(nonce, 'base64url');
    bytes.writeUInt8(bytes.readUInt8(6) ^ 1, 6);
    expect(issuer.checkNonce(bytes.toString('base64url'), t0)).toBe('invalid');
    expect(issuer.checkNonce('', t0)).toBe('invalid');
    expect(issuer.checkNonce(nonce.slice(0, 51), t0)).toBe('invalid');
    expect(issuer.checkNonce(`${nonce.slice(0, 51)}=`, t0)).toBe('invalid');
    expect(issuer.checkNonce('dcd98b7102dd2f0e8b11d0f600bfb0c093', t0)).toBe('invalid');
  });

  it('binds to the client address when given one', () => {
    const nonce = issuer.issueNonce(t0, '192.0.2.10');
    expect(issuer.checkNonce(nonce, t0, '192.0.2.10')).toBe('valid');
    expect(issuer.checkNonce(nonce, t0, '192.0.2.11')).toBe('invalid');
    expect(issuer.checkNonce(nonce, t0)).toBe('invalid');
    expect(issuer.checkNonce(issuer.issueNonce(t0), t0, '')).toBe('invalid');
  });

  it('answers stale for nonces signed with a retired secret', () => {
    const old = new NonceIssuer({ secret: otherSecret }).issueNonce(t0);
    const rotated = new NonceIssuer({ secret, previousSecrets: [otherSecret] });
    expect(rotated.checkNonce(old, t0)).toBe('stale');
  });

  it('refuses short secrets and a non-positive lifetime', () => {
    expect(() => new NonceIssuer({ secret: Buffer.alloc(16) })).toThrow(RangeError);
    expect(() => new NonceIssuer({ secret, lifetimeMs: 0 })).toThrow(RangeError);
  });
});

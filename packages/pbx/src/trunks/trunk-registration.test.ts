import { createResponse, createSystemTimers, type SipRequest } from '@provod/sip';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SentRequest } from '../calls/call-test-harness.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import { TrunkRegistration, type TrunkRegistrationState } from './trunk-registration.ts';

const trunk = {
  trunkId: 'trunk-1',
  tenantId: 'tenant-1',
  name: 'carrier',
  destination: { transport: 'udp' as const, address: '192.0.2.50', port: 5060 },
  domain: 'sip.carrier.example',
  user: 'acme',
  account: { username: 'acme', password: 'secret' },
  expiresSeconds: 300,
};

function harness() {
  const sent: SentRequest[] = [];
  const states: TrunkRegistrationState[] = [];
  const network: SipNetwork = {
    sendRequest: (request, destination, user) => sent.push({ request, destination, user }),
    sendStateless: () => undefined,
    via: () => `SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKreg${sent.length}`,
    contactUri: () => 'sip:provod@198.51.100.1:5060',
    timers: createSystemTimers(),
    t1: 500,
    t2: 4000,
  };
  const registration = new TrunkRegistration(
    trunk,
    network,
    () => new Date(),
    (state) => states.push(state),
  );
  const last = (): SentRequest => {
    const entry = sent.at(-1);
    if (entry === undefined) throw new Error('nothing sent');
    return entry;
  };
  const challenge = (request: SipRequest, stale = false) =>
    createResponse(request, 401, {
      headers: [
        [
          'WWW-Authenticate',
          `Digest realm="carrier", nonce="n${sent.length}", qop="auth"${stale ? ', stale=true' : ''}`,
        ],
      ],
    });
  return { sent, states, registration, last, challenge };
}

describe('a trunk registering with its provider', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('answers the challenge, keeps the granted time and refreshes at half of it', () => {
    const h = harness();
    h.registration.start();
    const first = h.last();
    expect(first.request.uri).toBe('sip:sip.carrier.example');
    expect(first.request.headers.get('to')).toBe('<sip:acme@sip.carrier.example>');
    expect(first.request.headers.get('expires')).toBe('300');
    first.user.onResponse?.(h.challenge(first.request));
    const second = h.last();
    expect(second.request.headers.get('authorization')).toMatch(/^Digest username="acme"/);
    expect(second.request.headers.get('cseq')).toBe('2 REGISTER');
    expect(second.request.headers.get('call-id')).toBe(first.request.headers.get('call-id'));
    second.user.onResponse?.(
      createResponse(second.request, 200, {
        headers: [['Contact', '<sip:provod@198.51.100.1:5060>;expires=60']],
      }),
    );
    expect(h.registration.state.kind).toBe('registered');
    vi.advanceTimersByTime(29_000);
    expect(h.sent).toHaveLength(2);
    vi.advanceTimersByTime(1_000);
    expect(h.sent).toHaveLength(3);
    expect(h.last().request.headers.get('cseq')).toBe('3 REGISTER');
  });

  it('fails on wrong credentials instead of looping, and retries later', () => {
    const h = harness();
    h.registration.start();
    h.last().user.onResponse?.(h.challenge(h.last().request));
    h.last().user.onResponse?.(h.challenge(h.last().request));
    expect(h.sent).toHaveLength(2);
    expect(h.registration.state).toMatchObject({ kind: 'failed', status: 401 });
    vi.advanceTimersByTime(30_000);
    expect(h.sent).toHaveLength(3);
  });

  it('answers a stale nonce again', () => {
    const h = harness();
    h.registration.start();
    h.last().user.onResponse?.(h.challenge(h.last().request));
    h.last().user.onResponse?.(h.challenge(h.last().request, true));
    expect(h.sent).toHaveLength(3);
    expect(h.registration.state.kind).toBe('registering');
  });

  it('backs off while the registrar is silent or refuses, up to ten minutes', () => {
    const h = harness();
    h.registration.start();
    h.last().user.onTimeout?.();
    expect(h.registration.state).toMatchObject({ kind: 'failed', status: 408 });
    vi.advanceTimersByTime(30_000);
    h.last().user.onResponse?.(createResponse(h.last().request, 403));
    expect(h.registration.state).toMatchObject({ kind: 'failed', status: 403 });
    vi.advanceTimersByTime(59_999);
    expect(h.sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(h.sent).toHaveLength(3);
  });

  it('unregisters with Expires: 0 when stopped, and sends nothing after', () => {
    const h = harness();
    h.registration.start();
    h.last().user.onResponse?.(
      createResponse(h.last().request, 200, { headers: [['Expires', '120']] }),
    );
    h.registration.stop();
    expect(h.last().request.headers.get('expires')).toBe('0');
    expect(h.states.at(-1)?.kind).toBe('stopped');
    vi.advanceTimersByTime(600_000);
    expect(h.sent).toHaveLength(2);
  });
});

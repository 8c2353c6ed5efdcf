import {
  AuthFailureGuard,
  computeDigestResponse,
  computeHa1,
  NonceCountTracker,
  NonceIssuer,
  parseDigestChallenge,
  parseMessage,
  type DigestAlgorithm,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocationService, type FlowSource } from './location-service.ts';
import { createRegistrar, type Registrar } from './registrar.ts';

const domain = 'acme.provod.local';
const passwords: Record<string, string> = { '101': 'Secret-101', '102': 'Secret-102' };
const source: FlowSource = { transport: 'udp', address: '203.0.113.7', port: 41000 };

/** A REGISTER as a phone behind NAT sends it (RFC 3261 §10.2 example, adapted). */
function register(options: {
  user?: string;
  contact?: string;
  expires?: number;
  cseq?: number;
  authorization?: string;
  callId?: string;
}): SipRequest {
  const user = options.user ?? '101';
  const lines = [
    `REGISTER sip:${domain} SIP/2.0`,
    'Via: SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bKnashds7;rport',
    'Max-Forwards: 70',
    `To: <sip:${user}@${domain}>`,
    `From: <sip:${user}@${domain}>;tag=456248`,
    `Call-ID: ${options.callId ?? '843817637684230@998sdasdh09'}`,
    `CSeq: ${options.cseq ?? 1826} REGISTER`,
    `Contact: ${options.contact ?? `<sip:${user}@192.168.1.20:5060>`}`,
    ...(options.expires === undefined ? [] : [`Expires: ${options.expires}`]),
    ...(options.authorization === undefined ? [] : [`Authorization: ${options.authorization}`]),
    'User-Agent: TestPhone/1.0',
    'Content-Length: 0',
    '',
    '',
  ];
  const message = parseMessage(Buffer.from(lines.join('\r\n')));
  if (message.kind !== 'request') throw new Error('not a request');
  return message;
}

/** What a phone puts in Authorization after a challenge (RFC 7616 §3.4, qop=auth). */
function answer(challengeValue: string, user: string, password: string, nc = '00000001'): string {
  const challenge = parseDigestChallenge(challengeValue);
  const algorithm = challenge.algorithm === 'SHA-256' ? 'SHA-256' : 'MD5';
  const uri = `sip:${domain}`;
  const response = computeDigestResponse({
    algorithm,
    ha1: computeHa1(algorithm === 'SHA-256' ? 'SHA-256' : 'MD5', user, domain, password),
    method: 'REGISTER',
    uri,
    nonce: challenge.nonce,
    qop: 'auth',
    nc,
    cnonce: 'f2a9c1',
  });
  return `Digest username="${user}", realm="${domain}", nonce="${challenge.nonce}", uri="${uri}", response="${response}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="f2a9c1"`;
}

function challengesOf(response: SipResponse): string[] {
  return response.headers.getLines('www-authenticate');
}

describe('registrar', () => {
  let now: Date;
  let registrar: Registrar;
  let location: LocationService;

  function makeRegistrar(digestAlgorithms?: readonly DigestAlgorithm[]): Registrar {
    return createRegistrar({
      ...(digestAlgorithms && { digestAlgorithms }),
      directory: {
        tenantByDomain: async (d) => (d === domain ? { tenantId: 'tenant-acme' } : undefined),
        sipPassword: async (_tenant, user) => passwords[user],
      },
      location,
      nonces: new NonceIssuer({ secret: Buffer.alloc(32, 7) }),
      nonceCounts: new NonceCountTracker(),
      guard: new AuthFailureGuard({ clock: () => now, userLimit: { maxFailures: 3 } }),
      clock: () => now,
    });
  }

  beforeEach(() => {
    now = new Date('2026-03-01T10:00:00Z');
    location = new LocationService();
    registrar = makeRegistrar();
  });

  async function registered(request: Partial<Parameters<typeof register>[0]> = {}) {
    const first = await registrar.handle(register(request), source);
    const [challenge] = challengesOf(first);
    if (challenge === undefined) throw new Error('no challenge');
    const user = request.user ?? '101';
    return registrar.handle(
      register({
        ...request,
        cseq: 1827,
        authorization: answer(challenge, user, passwords[user] ?? ''),
      }),
      source,
    );
  }

  it('challenges with MD5 alone in the tenant realm, then binds the contact', async () => {
    const first = await registrar.handle(register({}), source);
    expect(first.status).toBe(401);
    const challenges = challengesOf(first).map(parseDigestChallenge);
    expect(challenges.map((c) => [c.realm, c.algorithm, c.qop])).toEqual([
      [domain, 'MD5', ['auth']],
    ]);
    expect(first.headers.get('to')).toMatch(/;tag=/);

    const md5 = challengesOf(first)[0] ?? '';
    const ok = await registrar.handle(
      register({ cseq: 1827, expires: 600, authorization: answer(md5, '101', 'Secret-101') }),
      source,
    );
    expect(ok.status).toBe(200);
    expect(ok.headers.getLines('contact')).toEqual(['<sip:101@192.168.1.20:5060>;expires=600']);
    const [binding] = location.lookup({ tenantId: 'tenant-acme', user: '101' }, now.getTime());
    expect(binding).toMatchObject({ source, userAgent: 'TestPhone/1.0', cseq: 1827 });
  });

  it('offers SHA-256 when configured and accepts credentials answering it', async () => {
    registrar = makeRegistrar(['MD5', 'SHA-256']);
    const first = await registrar.handle(register({}), source);
    const sha256 = challengesOf(first)[1] ?? '';
    expect(parseDigestChallenge(sha256).algorithm).toBe('SHA-256');
    const ok = await registrar.handle(
      register({ cseq: 1827, authorization: answer(sha256, '101', 'Secret-101') }),
      source,
    );
    expect(ok.status).toBe(200);
  });

  it('keeps several contacts, unregisters one with expires=0 and all with *', async () => {
    expect((await registered({ contact: '<sip:101@192.168.1.20:5060>' })).status).toBe(200);
    const second = await registered({ contact: '<sip:101@10.0.0.9:5062>', callId: 'other-call' });
    expect(second.headers.getLines('contact')).toHaveLength(2);
    const one = await registered({
      contact: '<sip:101@10.0.0.9:5062>;expires=0',
      callId: 'other-call-2',
    });
    expect(one.headers.getLines('contact')).toEqual(['<sip:101@192.168.1.20:5060>;expires=3600']);
    const all = await registered({ contact: '*', expires: 0, callId: 'x' });
    expect(all.status).toBe(200);
    expect(all.headers.getLines('contact')).toEqual([]);
  });

  it('answers 423 with Min-Expires to a too short interval, and 400 to * without Expires: 0', async () => {
    const brief = await registered({ expires: 20 });
    expect(brief.status).toBe(423);
    expect(brief.headers.get('min-expires')).toBe('60');
    expect((await registered({ contact: '*', expires: 300 })).status).toBe(400);
  });

  it('refuses to bind a colleague’s address of record', async () => {
    const first = await registrar.handle(register({ user: '102' }), source);
    const stolen = answer(challengesOf(first)[0] ?? '', '101', 'Secret-101');
    const response = await registrar.handle(
      register({ user: '102', authorization: stolen }),
      source,
    );
    expect(response.status).toBe(403);
  });

  it('re-challenges a wrong password, then blocks the user after repeated failures with 403', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const first = await registrar.handle(register({}), source);
      const guess = answer(challengesOf(first)[0] ?? '', '101', `guess-${i}`);
      statuses.push((await registrar.handle(register({ authorization: guess }), source)).status);
    }
    expect(statuses).toEqual([401, 401, 403]);
    // During the cool-down even the first, unauthenticated request is refused.
    expect((await registrar.handle(register({}), source)).status).toBe(403);
  });

  it('answers stale=true to an expired nonce with the right password', async () => {
    const first = await registrar.handle(register({}), source);
    const reply = answer(challengesOf(first)[0] ?? '', '101', 'Secret-101');
    now = new Date(now.getTime() + 10 * 60_000);
    const response = await registrar.handle(register({ authorization: reply }), source);
    expect(response.status).toBe(401);
    expect(parseDigestChallenge(challengesOf(response)[0] ?? '').stale).toBe(true);
  });

  it('answers 404 for a domain it does not serve and 400 for garbage credentials', async () => {
    const foreign = register({});
    const other = { ...foreign, uri: 'sip:elsewhere.example' };
    expect((await registrar.handle(other, source)).status).toBe(404);
    const garbage = await registrar.handle(register({ authorization: 'Digest username=' }), source);
    expect(garbage.status).toBe(400);
  });

  it('refuses an out-of-order REGISTER of the same Call-ID', async () => {
    expect((await registered({})).status).toBe(200);
    const first = await registrar.handle(register({}), source);
    const late = answer(challengesOf(first)[0] ?? '', '101', 'Secret-101');
    const response = await registrar.handle(register({ cseq: 1800, authorization: late }), source);
    expect(response.status).toBe(500);
  });
});

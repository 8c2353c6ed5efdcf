import { MediaLeg, promptFromWav, encodeWav, RtpPortPool } from '@provod/media';
import {
  createSystemTimers,
  InviteServerTransaction,
  parseMessage,
  parseSdp,
  type SipDestination,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import type { RoutingNodeInput } from '@provod/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { callerRequest, callerSource, phoneResponse } from '../calls/call-test-harness.ts';
import type { SentRequest } from '../calls/call-test-harness.ts';
import type { SchemeDirectory } from '../calls/scheme-routes.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import { LocationService } from '../registrar/location-service.ts';
import { extension, graphOf } from '../routing/routing-test-kit.ts';
import { startRoutedCall, type RoutedCallSummary } from './routed-call-control.ts';
import type { RoutedCall } from './routed-call.ts';

const tenantId = 'tenant-1';
const domain = 'demo.provod.local';
const phoneOffer = Buffer.from(
  [
    'v=0',
    'o=carrier 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 4000 RTP/AVP 0 101',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    '',
  ].join('\r\n'),
);
const phoneAnswer = Buffer.from(
  [
    'v=0',
    'o=phone 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 4002 RTP/AVP 8',
    'a=rtpmap:8 PCMA/8000',
    '',
  ].join('\r\n'),
);

function callerInvite(body: Buffer): SipRequest {
  const lines = [
    'INVITE sip:+74951234567@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller1;rport',
    'Max-Forwards: 70',
    'From: <sip:+79161234567@carrier.example>;tag=callertag',
    'To: <sip:+74951234567@127.0.0.1>',
    'Call-ID: caller-call@192.0.2.1',
    'CSeq: 10 INVITE',
    'Contact: <sip:carrier@192.0.2.1:5060>',
    'Content-Type: application/sdp',
    `Content-Length: ${body.length}`,
    '',
    '',
  ];
  return parseMessage(Buffer.concat([Buffer.from(lines.join('\r\n')), body])) as SipRequest;
}

/** A 200 ms tone: a prompt short enough for tests to wait out. */
const tone = promptFromWav(
  encodeWav({
    encoding: 'pcm16',
    sampleRate: 8000,
    channels: 1,
    samples: Int16Array.from({ length: 1600 }, (_, i) => 6000 * Math.sin(i / 3)),
  }),
);

/**
 * A routed call with the SIP network replaced by a recorder (as call-test-harness.ts does
 * for bridged calls) and real media legs on loopback: the test plays the carrier and the
 * phones by answering what Provod sends.
 */
function routedHarness(nodes: RoutingNodeInput[]) {
  const sent: SentRequest[] = [];
  const stateless: { message: SipMessage; destination: SipDestination }[] = [];
  const toCaller: SipResponse[] = [];
  const dialogs = new Map<string, string>();
  const summaries: RoutedCallSummary[] = [];
  const answeredBy: string[] = [];
  const timers = createSystemTimers();
  const network: SipNetwork = {
    sendRequest: (request, destination, user) => sent.push({ request, destination, user }),
    sendStateless: (message, destination) => stateless.push({ message, destination }),
    via: (transport) =>
      `SIP/2.0/${transport.toUpperCase()} 198.51.100.1:5060;branch=z9hG4bK${sent.length}x${stateless.length}`,
    contactUri: () => 'sip:provod@198.51.100.1:5060',
    timers,
    t1: 500,
    t2: 4000,
  };
  const location = new LocationService();
  location.upsert(
    { tenantId, user: '102' },
    {
      contact: '<sip:102@192.0.2.2:5062>',
      expiresAt: Date.now() + 3_600_000,
      q: null,
      callId: 'reg',
      cseq: 1,
      source: { transport: 'udp', address: '192.0.2.2', port: 5062 },
      userAgent: null,
      registeredAt: Date.now(),
    },
  );
  const schemes: SchemeDirectory = {
    schemeFor: async () => ({ kind: 'unknown_number' }),
    trunkAt: async () => undefined,
    tenantDirectory: async () => ({
      extension: (number) => (number === '102' ? extension('102') : undefined),
      isRegistered: (number) => number === '102',
    }),
  };
  const pool = new RtpPortPool({ min: 41000, max: 41999 });
  const legs: MediaLeg[] = [];
  const graph = graphOf(nodes);
  let call: RoutedCall | undefined;

  async function start(body = phoneOffer) {
    const invite = callerInvite(body);
    const transaction = new InviteServerTransaction(invite, {
      reliable: false,
      timers,
      send: (message) => {
        if (message.kind === 'response') toCaller.push(message);
      },
      user: {},
    });
    const started = await startRoutedCall(
      {
        network,
        location,
        schemes,
        prompts: { prompt: async () => tone },
        voicemail: { open: async () => undefined },
        openLeg: async (events) => {
          const leg = await MediaLeg.open({
            pool,
            bindAddress: '127.0.0.1',
            cname: 'test@provod',
            onMediaTimeout: () => events.onMediaTimeout(),
            onError: () => undefined,
          });
          legs.push(leg);
          return leg;
        },
        advertisedHost: '127.0.0.1',
        clock: () => new Date(),
        maxCallDurationMs: 60_000,
        mediaTimeoutMs: null,
        sessionExpiresSeconds: 0,
        onEnded: (summary) => summaries.push(summary),
        onError: () => undefined,
      },
      {
        dialogCreated: (id, _call, side) => dialogs.set(id, side),
        dialogEnded: (id) => dialogs.delete(id),
        answered: (_call, by) => answeredBy.push(by),
        ended: () => undefined,
      },
      { request: invite, transaction, source: callerSource },
      {
        tenantId,
        domain,
        timeZone: 'Europe/Moscow',
        language: 'ru',
        number: '+74951234567',
        schemeId: 'scheme-1',
        schemeVersion: 1,
        graph,
        trunkId: null,
      },
      { direction: 'inbound', number: '+79161234567', displayName: undefined, hops: 69 },
    );
    if (started.kind === 'started') call = started.call;
    return started;
  }

  return {
    sent,
    stateless,
    toCaller,
    dialogs,
    summaries,
    answeredBy,
    start,
    get call() {
      if (call === undefined) throw new Error('no call started');
      return call;
    },
    sentOf: (method: string) => sent.filter((entry) => entry.request.method === method),
    statuses: () => toCaller.map((response) => response.status),
    async cleanUp() {
      timers.cancelAll();
      await Promise.all(legs.map((leg) => leg.close()));
    },
  };
}

const menu: RoutingNodeInput[] = [
  {
    id: 'menu',
    kind: 'ivr',
    prompt: null,
    digits: { '1': 'sales' },
    timeoutSeconds: 2,
    retries: 0,
  },
  { id: 'sales', kind: 'extension', number: '102', timeoutSeconds: 10 },
];

function providerTag(response: SipResponse | undefined): string {
  return /tag=([^;>\s]+)/.exec(response?.headers.get('to') ?? '')?.[1] ?? '';
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function infoDigit(tag: string, cseq: number, digit: string): SipRequest {
  const body = Buffer.from(`Signal=${digit}\r\nDuration=160\r\n`);
  const request = callerRequest('INFO', cseq, tag, undefined);
  request.headers.set('Content-Type', 'application/dtmf-relay');
  request.headers.set('Content-Length', String(body.length));
  return { ...request, body };
}

describe('a call routed by its scheme, at the SIP level', () => {
  let harness: ReturnType<typeof routedHarness> | undefined;
  afterEach(async () => {
    await harness?.cleanUp();
    harness = undefined;
  });

  it('answers for the menu, takes a key sent as INFO, rings 102 and bridges on its answer', async () => {
    harness = routedHarness(menu);
    const h = harness;
    expect((await h.start()).kind).toBe('started');
    await until(() => h.statuses().includes(200), 'the menu to answer');
    const ok = h.toCaller.find((r) => r.status === 200);
    const sdp = parseSdp(ok?.body ?? Buffer.alloc(0));
    expect(sdp.connection?.address).toBe('127.0.0.1');
    expect(sdp.media[0]?.formats).toEqual(['0', '101']);
    const tag = providerTag(ok);
    h.call.acknowledged('caller', callerRequest('ACK', 10, tag));

    const responses: SipResponse[] = [];
    h.call.inDialogRequest('caller', infoDigit(tag, 11, '1'), (r) => responses.push(r));
    expect(responses.map((r) => r.status)).toEqual([200]);
    await until(() => h.sentOf('INVITE').length === 1, 'the ring');
    const fork = h.sentOf('INVITE')[0];
    if (fork === undefined) throw new Error('no fork');
    expect(fork.request.uri).toBe('sip:102@192.0.2.2:5062');
    expect(parseSdp(fork.request.body).media[0]?.formats).toEqual(['0', '8', '101']);
    fork.user.onResponse?.(phoneResponse(fork.request, 180));
    fork.user.onResponse?.(phoneResponse(fork.request, 200, { body: phoneAnswer }));
    expect(h.stateless.map((entry) => (entry.message as SipRequest).method)).toContain('ACK');
    await until(() => h.dialogs.size === 2, 'the bridge');
    expect(h.answeredBy).toEqual(['102']);
    expect([...h.dialogs.values()].sort()).toEqual(['callee', 'caller']);

    // The callee hangs up: Provod answers 200 and sends the caller a BYE.
    const byeResponses: SipResponse[] = [];
    h.call.inDialogRequest('callee', calleeByeFor(fork.request), (r) => byeResponses.push(r));
    expect(byeResponses.map((r) => r.status)).toEqual([200]);
    expect(h.sentOf('BYE').map((entry) => entry.destination.address)).toEqual(['192.0.2.1']);
    await until(() => h.summaries.length === 1, 'the summary');
    const summary = h.summaries[0];
    expect(summary).toMatchObject({ reason: 'callee_hung_up', answeredBy: '102' });
    expect(summary?.path.map((step) => [step.kind, step.outcome])).toEqual([
      ['ivr', 'digit 1'],
      ['extension', 'answered'],
    ]);
    expect(h.dialogs.size).toBe(0);
  });

  it('a caller who hangs up in the menu ends the walk; the path says where', async () => {
    harness = routedHarness(menu);
    const h = harness;
    await h.start();
    await until(() => h.statuses().includes(200), 'the answer');
    const tag = providerTag(h.toCaller.find((r) => r.status === 200));
    h.call.acknowledged('caller', callerRequest('ACK', 10, tag));
    const responses: SipResponse[] = [];
    h.call.inDialogRequest('caller', callerRequest('BYE', 11, tag), (r) => responses.push(r));
    expect(responses.map((r) => r.status)).toEqual([200]);
    await until(() => h.summaries.length === 1, 'the summary');
    expect(h.summaries[0]).toMatchObject({ reason: 'caller_hung_up', answeredBy: undefined });
    expect(h.summaries[0]?.path.map((step) => step.outcome)).toEqual(['caller_hung_up']);
    expect(h.sentOf('INVITE')).toHaveLength(0);
  });

  it('a CANCEL while an extension rings: 487 to the caller, the fork cancelled', async () => {
    harness = routedHarness([{ id: 'sales', kind: 'extension', number: '102' }]);
    const h = harness;
    await h.start();
    await until(() => h.sentOf('INVITE').length === 1, 'the ring');
    const fork = h.sentOf('INVITE')[0];
    if (fork === undefined) throw new Error('no fork');
    fork.user.onResponse?.(phoneResponse(fork.request, 180));
    expect(h.statuses()).toContain(180);
    h.call.cancel();
    expect(h.statuses()).toContain(487);
    expect(h.sentOf('CANCEL')).toHaveLength(1);
    await until(() => h.summaries.length === 1, 'the summary');
    expect(h.summaries[0]?.reason).toBe('cancelled');
  });

  it('refuses an offer with no codec it takes with 488, and opens nothing', async () => {
    harness = routedHarness(menu);
    const g722 = Buffer.from(
      phoneOffer
        .toString()
        .replace('RTP/AVP 0 101', 'RTP/AVP 9')
        .replace('a=rtpmap:0 PCMU/8000', 'a=rtpmap:9 G722/8000'),
    );
    const refused = await harness.start(g722);
    expect(refused.kind === 'refused' && refused.response.status).toBe(488);
  });

  it('a node not available on calls yet ends the call with the reason, not silence', async () => {
    harness = routedHarness([
      {
        id: 'q',
        kind: 'queue',
        agents: ['102'],
        overflow: null,
      },
    ]);
    const h = harness;
    await h.start();
    await until(() => h.summaries.length === 1, 'the summary');
    expect(h.summaries[0]?.reason).toBe('failed');
    expect(h.summaries[0]?.failure).toMatch(/queue is not available/);
    // Answered for the queue, then hung up with a BYE.
    expect(h.statuses()).toContain(200);
    expect(h.sentOf('BYE')).toHaveLength(1);
  });
});

/** The callee's BYE in the dialog Provod's fork made (its Call-ID and tags swapped). */
function calleeByeFor(invite: SipRequest): SipRequest {
  const from = invite.headers.get('from') ?? '';
  const to = invite.headers.get('to') ?? '';
  return parseMessage(
    Buffer.from(
      [
        'BYE sip:provod@198.51.100.1:5060 SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.2:5062;branch=z9hG4bKcalleebye',
        `From: ${to};tag=calleetag`,
        `To: ${from}`,
        `Call-ID: ${invite.headers.get('call-id') ?? ''}`,
        'CSeq: 7 BYE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    ),
  ) as SipRequest;
}

import {
  createResponse,
  createSystemTimers,
  InviteServerTransaction,
  parseMessage,
  SipHeaders,
  SIP_VERSION,
  type SipDestination,
  type SipMessage,
  type SipRequest,
  type SipResponse,
  type TransactionUser,
} from '@provod/sip';
import { BridgedCall, type CallEndReason, type CallTarget } from './bridged-call.ts';
import type { CallSide } from './call-party.ts';
import type { CallMedia, CallMediaStats, SdpRole } from './media-anchor.ts';
import type { SipNetwork } from './sip-network.ts';

/**
 * A bridged call with the network replaced by a recorder: what call control sends is
 * kept in order, and the test plays the phones by answering it. Timers are the system
 * ones, so tests drive them with vitest's fake timers.
 */
export interface SentRequest {
  readonly request: SipRequest;
  readonly destination: SipDestination;
  readonly user: TransactionUser;
}

export const callerSource: SipDestination = { transport: 'udp', address: '192.0.2.1', port: 5060 };

export const offer = Buffer.from(
  'v=0\r\no=a 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n',
);
export const answer = Buffer.from(
  'v=0\r\no=b 1 1 IN IP4 192.0.2.2\r\ns=-\r\nc=IN IP4 192.0.2.2\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\n',
);

export function callerInvite(body: Buffer = offer, headers: readonly string[] = []): SipRequest {
  const lines = [
    'INVITE sip:102@demo.provod.local SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller1;rport',
    'Max-Forwards: 70',
    'From: "Alice" <sip:101@demo.provod.local>;tag=callertag',
    'To: <sip:102@demo.provod.local>',
    'Call-ID: caller-call@192.0.2.1',
    'CSeq: 10 INVITE',
    'Contact: <sip:101@192.0.2.1:5060>',
    ...headers,
    ...(body.length > 0 ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${body.length}`,
    '',
    '',
  ];
  return parseMessage(Buffer.concat([Buffer.from(lines.join('\r\n')), body])) as SipRequest;
}

export function forkTarget(contactHost: string): CallTarget {
  const headers = new SipHeaders();
  headers.append('Via', `SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKfork${contactHost}`);
  headers.append('Max-Forwards', '69');
  headers.append('From', `"Alice" <sip:101@demo.provod.local>;tag=provod${contactHost}`);
  headers.append('To', '<sip:102@demo.provod.local>');
  headers.append('Call-ID', `fork-${contactHost}@provod`);
  headers.append('CSeq', '1 INVITE');
  headers.append('Contact', '<sip:provod@198.51.100.1:5060>');
  const invite: SipRequest = {
    kind: 'request',
    method: 'INVITE',
    uri: `sip:102@${contactHost}:5062`,
    version: SIP_VERSION,
    headers,
    body: offer,
  };
  return { invite, destination: { transport: 'udp', address: contactHost, port: 5062 } };
}

/** The callee phone's response to a request Provod sent it, with its To tag and Contact. */
export function phoneResponse(
  request: SipRequest,
  status: number,
  options: { tag?: string; body?: Buffer; contact?: string; headers?: [string, string][] } = {},
): SipResponse {
  const response = createResponse(request, status, {
    toTag: options.tag ?? 'calleetag',
    headers:
      status === 100
        ? []
        : [['Contact', options.contact ?? '<sip:102@192.0.2.2:5062>'], ...(options.headers ?? [])],
  });
  if (options.body === undefined) return response;
  response.headers.append('Content-Type', 'application/sdp');
  return { ...response, body: options.body };
}

/** The caller's in-dialog request, after Provod answered it with tag `provodTag`. */
export function callerRequest(
  method: string,
  cseq: number,
  provodTag: string,
  body?: Buffer,
  headers: readonly string[] = [],
): SipRequest {
  const content = body ?? Buffer.alloc(0);
  const lines = [
    `${method} sip:provod@198.51.100.1:5060 SIP/2.0`,
    `Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller${method}${cseq}`,
    'Max-Forwards: 70',
    'From: "Alice" <sip:101@demo.provod.local>;tag=callertag',
    `To: <sip:102@demo.provod.local>;tag=${provodTag}`,
    'Call-ID: caller-call@192.0.2.1',
    `CSeq: ${cseq} ${method}`,
    'Contact: <sip:101@192.0.2.1:5060>',
    ...headers,
    ...(content.length > 0 ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${content.length}`,
    '',
    '',
  ];
  return parseMessage(Buffer.concat([Buffer.from(lines.join('\r\n')), content])) as SipRequest;
}

export function toTagOf(harness: ReturnType<typeof createHarness>): string {
  const ok = harness.toCaller.find((response) => response.status === 200);
  return /tag=([^;>\s]+)/.exec(ok?.headers.get('to') ?? '')?.[1] ?? '';
}

/**
 * A call's media as a recorder: every body it is asked to relay, how often it was closed.
 * With `rewrite`, bodies come back marked (`<from> <role>|` + body), so a test sees that
 * call control sent on what the media returned, not the phone's own SDP.
 */
export class FakeCallMedia implements CallMedia {
  readonly relayedBodies: { from: CallSide; role: SdpRole; body: string }[] = [];
  /** 'stats' and 'close' in the order call control asked for them. */
  readonly lifecycle: ('stats' | 'close')[] = [];
  onTimeout: (() => void) | undefined;

  constructor(private readonly rewrite = false) {}

  relayBody(from: CallSide, message: SipRequest | SipResponse, role: SdpRole): Buffer {
    if (message.body.length === 0) return message.body;
    this.relayedBodies.push({ from, role, body: message.body.toString() });
    if (!this.rewrite) return message.body;
    return Buffer.concat([Buffer.from(`${from} ${role}|`), message.body]);
  }

  answered(onTimeout: () => void): void {
    this.onTimeout = onTimeout;
  }

  stats(): CallMediaStats | undefined {
    this.lifecycle.push('stats');
    return undefined;
  }

  tapAudio(): undefined {
    return undefined;
  }

  async close(): Promise<void> {
    this.lifecycle.push('close');
  }

  get closed(): number {
    return this.lifecycle.filter((step) => step === 'close').length;
  }
}

export function createHarness(media: FakeCallMedia = new FakeCallMedia()) {
  const sent: SentRequest[] = [];
  const stateless: { message: SipMessage; destination: SipDestination }[] = [];
  const toCaller: SipResponse[] = [];
  const dialogs = new Map<string, CallSide>();
  const ended: { reason: CallEndReason; status: number | undefined }[] = [];
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

  function startCall(
    invite: SipRequest,
    targets: readonly CallTarget[],
    ringTimeoutMs = 60_000,
    maxDurationMs = 3_600_000,
    sessionExpiresSeconds = 0,
  ) {
    const transaction = new InviteServerTransaction(invite, {
      reliable: false,
      timers,
      send: (message) => {
        if (message.kind === 'response') toCaller.push(message);
      },
      user: {},
    });
    const call = new BridgedCall(
      invite,
      transaction,
      callerSource,
      network,
      {
        dialogCreated: (id, _call, side) => dialogs.set(id, side),
        dialogEnded: (id) => dialogs.delete(id),
        answered: () => undefined,
        ended: (_call, reason, status) => ended.push({ reason, status }),
      },
      media,
    );
    call.start(targets, ringTimeoutMs, maxDurationMs, sessionExpiresSeconds);
    return call;
  }

  return {
    sent,
    stateless,
    toCaller,
    dialogs,
    ended,
    timers,
    media,
    startCall,
    /** The requests sent with this method, in order. */
    sentOf: (method: string) => sent.filter((entry) => entry.request.method === method),
    statusesToCaller: () => toCaller.map((response) => response.status),
  };
}

import {
  authorizationFor,
  buildAck,
  isDigestError,
  parseDigestChallenge,
  type DigestAccount,
  createResponse,
  dialogAsUac,
  parseCSeq,
  SipHeaders,
  SIP_VERSION,
  type Dialog,
  type SipDestination,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import type { SipNetwork } from './sip-network.ts';

/**
 * One branch of a call's ringing: the INVITE to one registered contact of the callee
 * (RFC 3261 §13.2 as a UAC). Every contact of an extension rings at once; the call
 * decides which fork wins and cancels the rest.
 *
 *   calling ──18x──> ringing ──2xx──> answered
 *      │                │
 *      └───────┴──3xx-6xx, timeout, transport error──> failed
 *
 * A cancel asked for before any provisional response waits for one (§9.1: a CANCEL may
 * not overtake the INVITE), and is sent at once afterwards.
 */
export type ForkState = 'calling' | 'ringing' | 'answered' | 'failed';

export interface ForkEvents {
  onProvisional(fork: OutboundFork, response: SipResponse): void;
  onAnswered(fork: OutboundFork, response: SipResponse, dialog: Dialog): void;
  /** A final failure: the response, or a synthetic 408/503 for a timeout or a dead transport. */
  onFailed(fork: OutboundFork, response: SipResponse): void;
}

export class OutboundFork {
  private current: ForkState = 'calling';
  private cancelRequested = false;
  private provisionalSeen = false;
  private cancelSent = false;
  private started = false;
  private failedWith: SipResponse | undefined;

  /** Whether the INVITE was already sent again with credentials (§22.2: once per challenge). */
  private authorized = false;

  constructor(
    private currentInvite: SipRequest,
    readonly destination: SipDestination,
    private readonly network: SipNetwork,
    private readonly events: ForkEvents,
    /** A trunk's account, to answer its 401/407 (RFC 3261 §22.2); phones are not asked. */
    private readonly account?: DigestAccount,
  ) {}

  /** The INVITE on the wire now: the first one, or its authorized resend. */
  get invite(): SipRequest {
    return this.currentInvite;
  }

  get state(): ForkState {
    return this.current;
  }

  /** The final response that failed this fork, once it has. */
  get failure(): SipResponse | undefined {
    return this.failedWith;
  }

  start(): void {
    this.started = true;
    this.send();
  }

  private send(): void {
    this.network.sendRequest(this.invite, this.destination, {
      onResponse: (response) => this.onResponse(response),
      onTimeout: () => this.fail(createResponse(this.invite, 408)),
      onTransportError: () => this.fail(createResponse(this.invite, 503)),
    });
  }

  /** Stops the ringing; a 2xx that still arrives is acknowledged and hung up by the call. */
  cancel(): void {
    if (this.cancelRequested || this.current === 'answered' || this.current === 'failed') return;
    this.cancelRequested = true;
    if (this.provisionalSeen) this.sendCancel();
  }

  /** §13.2.2.4: the ACK for a 2xx, sent end to end outside the INVITE transaction. */
  ackFor(dialog: Dialog): SipRequest {
    return buildAck(dialog, parseCSeq(this.invite.headers.get('cseq') ?? '').seq, {
      via: this.network.via(this.destination.transport),
      contact: `<${this.network.contactUri(this.destination.transport)}>`,
    });
  }

  private onResponse(response: SipResponse): void {
    if (response.status < 200) {
      // Any provisional, 100 included, shows the INVITE arrived: a waiting CANCEL may go.
      this.provisionalSeen = true;
      if (response.status > 100 && this.current === 'calling') this.current = 'ringing';
      if (this.cancelRequested) {
        this.sendCancel();
        return;
      }
      if (response.status > 100) this.events.onProvisional(this, response);
      return;
    }
    if (response.status < 300) {
      // A 2xx after our CANCEL still makes a dialog (§9.1); the call ends it with a BYE.
      this.current = 'answered';
      this.events.onAnswered(this, response, dialogAsUac(this.invite, response));
      return;
    }
    if ((response.status === 401 || response.status === 407) && this.answerChallenge(response)) {
      return;
    }
    this.fail(response);
  }

  /**
   * §22.2: the same INVITE again — same Call-ID and From tag, CSeq one higher, a new
   * branch — with the credentials the challenge asks for. False when there is nothing to
   * answer with, it was answered already (wrong credentials), or the call was cancelled.
   */
  private answerChallenge(response: SipResponse): boolean {
    if (this.account === undefined || this.authorized || this.cancelRequested) return false;
    const proxy = response.status === 407;
    const header = response.headers.get(proxy ? 'proxy-authenticate' : 'www-authenticate');
    if (header === undefined) return false;
    let authorization: string;
    try {
      authorization = authorizationFor(parseDigestChallenge(header), this.account, {
        method: 'INVITE',
        uri: this.invite.uri,
      });
    } catch (error) {
      if (isDigestError(error)) return false;
      throw error;
    }
    this.authorized = true;
    const headers = new SipHeaders();
    headers.append('Via', this.network.via(this.destination.transport));
    for (const { name, value } of this.invite.headers.entries()) {
      const lower = name.toLowerCase();
      if (lower === 'via' || lower === 'cseq' || lower === 'content-length') continue;
      headers.append(name, value);
    }
    headers.append('CSeq', `${parseCSeq(this.invite.headers.get('cseq') ?? '').seq + 1} INVITE`);
    headers.append(proxy ? 'Proxy-Authorization' : 'Authorization', authorization);
    headers.append('Content-Length', String(this.invite.body.length));
    this.currentInvite = { ...this.invite, headers };
    this.provisionalSeen = false;
    this.send();
    return true;
  }

  private fail(response: SipResponse): void {
    if (this.current === 'answered' || this.current === 'failed') return;
    this.current = 'failed';
    this.failedWith = response;
    this.events.onFailed(this, response);
  }

  /**
   * §9.1: the CANCEL copies the INVITE's Request-URI, Call-ID, To, From, CSeq number and
   * its top Via — same branch, so it matches the INVITE's server transaction next hop.
   */
  private sendCancel(): void {
    if (!this.started || this.cancelSent) return;
    this.cancelSent = true;
    const headers = new SipHeaders();
    const source = this.invite.headers;
    const topVia = source.getAll('via')[0];
    if (topVia !== undefined) headers.append('Via', topVia);
    for (const route of source.getLines('route')) headers.append('Route', route);
    headers.append('Max-Forwards', '70');
    for (const name of ['From', 'To', 'Call-ID']) {
      const value = source.get(name);
      if (value !== undefined) headers.append(name, value);
    }
    headers.append('CSeq', `${parseCSeq(source.get('cseq') ?? '').seq} CANCEL`);
    headers.append('Content-Length', '0');
    const cancel: SipRequest = {
      kind: 'request',
      method: 'CANCEL',
      uri: this.invite.uri,
      version: SIP_VERSION,
      headers,
      body: Buffer.alloc(0),
    };
    // The CANCEL's own transaction: its 200 or its timeout changes nothing for the call,
    // which waits for the INVITE's final response (487) or Timer C's end.
    this.network.sendRequest(cancel, this.destination, {});
  }
}

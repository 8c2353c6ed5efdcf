import { randomBytes } from 'node:crypto';
import {
  authorizationFor,
  isDigestError,
  newTag,
  parseDigestChallenge,
  SipHeaders,
  SIP_VERSION,
  type DigestAccount,
  type SipDestination,
  type SipRequest,
  type SipResponse,
  type TimerHandle,
} from '@provod/sip';
import type { SipNetwork } from '../calls/sip-network.ts';

/** A trunk that registers Provod with its provider, so the provider sends calls to us. */
export interface RegisteringTrunk {
  readonly trunkId: string;
  readonly tenantId: string;
  readonly name: string;
  readonly destination: SipDestination;
  /** The registrar's domain: the Request-URI and the host of the address of record. */
  readonly domain: string;
  /** The address-of-record user (the trunk's username). */
  readonly user: string;
  /** The digest account (authUsername or username, and the password). */
  readonly account: DigestAccount;
  readonly expiresSeconds: number;
}

export type TrunkRegistrationState =
  | { readonly kind: 'registering' }
  | { readonly kind: 'registered'; readonly expiresAt: Date }
  | {
      readonly kind: 'failed';
      /** The registrar's final status, or 408 when it never answered. */
      readonly status: number;
      readonly reason: string;
      readonly retryAt: Date;
    }
  | { readonly kind: 'stopped' };

/** Retries after a failure: 30 s, doubling to 10 minutes (a provider that is down). */
const firstRetryMs = 30_000;
const maxRetryMs = 600_000;

/**
 * RFC 3261 §10.2 as a UA: REGISTER Provod's Contact with the provider for the trunk's
 * account. A 401/407 is answered with the account (§22.2) — once per challenge, so wrong
 * credentials fail instead of looping; a stale nonce is answered again. Registered, it
 * refreshes at half the granted time (the provider may shorten what we asked for, the
 * Contact's expires or the Expires header says); failed, it retries at growing
 * intervals. One Call-ID for the whole registration, CSeq rising (§10.2.4).
 */
export class TrunkRegistration {
  private current: TrunkRegistrationState = { kind: 'registering' };
  private readonly callId = `${randomBytes(12).toString('hex')}@provod`;
  private readonly fromTag = newTag();
  private cseq = 0;
  private timer: TimerHandle | undefined;
  private retryMs = firstRetryMs;

  constructor(
    readonly trunk: RegisteringTrunk,
    private readonly network: SipNetwork,
    private readonly clock: () => Date,
    private readonly onState: (state: TrunkRegistrationState) => void = () => undefined,
  ) {}

  get state(): TrunkRegistrationState {
    return this.current;
  }

  start(): void {
    this.register(this.trunk.expiresSeconds, undefined);
  }

  /** Stops refreshing and removes the binding at the provider (Expires: 0). */
  stop(): void {
    this.clearTimer();
    const wasRegistered = this.current.kind === 'registered';
    this.setState({ kind: 'stopped' });
    if (wasRegistered)
      this.network.sendRequest(this.request(0, undefined), this.trunk.destination, {});
  }

  private register(expires: number, authorization: { header: string; value: string } | undefined) {
    if (this.current.kind === 'stopped') return;
    const request = this.request(expires, authorization);
    this.network.sendRequest(request, this.trunk.destination, {
      onResponse: (response) => {
        if (response.status >= 200) this.answered(request, response, authorization !== undefined);
      },
      onTimeout: () => this.failed(408, 'the registrar did not answer'),
      onTransportError: () => this.failed(503, 'the registrar could not be reached'),
    });
  }

  private answered(request: SipRequest, response: SipResponse, wasAuthorized: boolean): void {
    if (this.current.kind === 'stopped') return;
    if (response.status === 401 || response.status === 407) {
      const answer = this.answerChallenge(response, wasAuthorized);
      if (answer !== undefined) {
        this.register(this.trunk.expiresSeconds, answer);
        return;
      }
    }
    if (response.status >= 300) {
      this.failed(response.status, response.reason);
      return;
    }
    const granted = grantedSeconds(response, request) ?? this.trunk.expiresSeconds;
    this.retryMs = firstRetryMs;
    this.setState({
      kind: 'registered',
      expiresAt: new Date(this.clock().getTime() + granted * 1000),
    });
    // Half the granted time, at least a second: early enough to survive a lost refresh.
    this.schedule(Math.max(1000, (granted * 1000) / 2));
  }

  /** The Authorization for a challenge, or undefined when it must not be answered. */
  private answerChallenge(
    response: SipResponse,
    wasAuthorized: boolean,
  ): { header: string; value: string } | undefined {
    const proxy = response.status === 407;
    const value = response.headers.get(proxy ? 'proxy-authenticate' : 'www-authenticate');
    if (value === undefined) return undefined;
    try {
      const challenge = parseDigestChallenge(value);
      // Answered already: only a stale nonce (RFC 7616 §3.3) is worth another try.
      if (wasAuthorized && !challenge.stale) return undefined;
      const uri = `sip:${this.trunk.domain}`;
      return {
        header: proxy ? 'Proxy-Authorization' : 'Authorization',
        value: authorizationFor(challenge, this.trunk.account, { method: 'REGISTER', uri }),
      };
    } catch (error) {
      if (isDigestError(error)) return undefined;
      throw error;
    }
  }

  private failed(status: number, reason: string): void {
    if (this.current.kind === 'stopped') return;
    const retryAt = new Date(this.clock().getTime() + this.retryMs);
    this.setState({ kind: 'failed', status, reason, retryAt });
    this.schedule(this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, maxRetryMs);
  }

  private schedule(ms: number): void {
    this.clearTimer();
    this.timer = this.network.timers.setTimeout(
      () => this.register(this.trunk.expiresSeconds, undefined),
      ms,
    );
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.network.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private setState(state: TrunkRegistrationState): void {
    this.current = state;
    this.onState(state);
  }

  private request(
    expires: number,
    authorization: { header: string; value: string } | undefined,
  ): SipRequest {
    const { transport } = this.trunk.destination;
    const aor = `<sip:${this.trunk.user}@${this.trunk.domain}>`;
    const headers = new SipHeaders();
    headers.append('Via', this.network.via(transport));
    headers.append('Max-Forwards', '70');
    headers.append('From', `${aor};tag=${this.fromTag}`);
    headers.append('To', aor);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${++this.cseq} REGISTER`);
    headers.append('Contact', `<${this.network.contactUri(transport)}>`);
    headers.append('Expires', String(expires));
    if (authorization !== undefined) headers.append(authorization.header, authorization.value);
    headers.append('Content-Length', '0');
    return {
      kind: 'request',
      method: 'REGISTER',
      uri: `sip:${this.trunk.domain}`,
      version: SIP_VERSION,
      headers,
      body: Buffer.alloc(0),
    };
  }
}

/**
 * §10.2.4: what the registrar granted — the expires of our Contact in its 200, else the
 * Expires header; undefined when it says neither.
 */
function grantedSeconds(response: SipResponse, request: SipRequest): number | undefined {
  const ours = request.headers.get('contact')?.replace(/^<|>$/g, '');
  for (const contact of response.headers.getAll('contact')) {
    if (ours !== undefined && !contact.includes(ours)) continue;
    const match = /;\s*expires\s*=\s*(\d+)/i.exec(contact);
    if (match?.[1] !== undefined) return Number(match[1]);
  }
  const header = response.headers.get('expires');
  return header !== undefined && /^\d+$/.test(header.trim()) ? Number(header.trim()) : undefined;
}

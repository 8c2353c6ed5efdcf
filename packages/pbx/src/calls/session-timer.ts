import { buildAck, parseCSeq, type SipResponse, type TimerHandle } from '@provod/sip';
import type { CallParty } from './call-party.ts';
import { supportsTimer, termsAnswered, type SessionTerms } from './session-expires.ts';
import type { SipNetwork } from './sip-network.ts';

/**
 * The RFC 4028 session timer of one leg of a bridged call. Where Provod is the refresher
 * it refreshes at half the interval (§10), with an UPDATE without a body when the phone
 * allows UPDATE (RFC 3311), else with a re-INVITE offering the SDP Provod last sent. Where
 * the phone refreshes, a session without a refresh by the interval minus min(32 s, one
 * third) is over (§10). Either way `expired` ends the call; so does a refresh answered 408
 * or 481, or not at all (§10).
 *
 *   idle ──terms──> running ──half interval (Provod refreshes)──> refreshing ──2xx──> running
 *                      └──deadline / 408 / 481──> expired;   stop() from any state ──> stopped
 */
export type SessionTimerState = 'idle' | 'running' | 'refreshing' | 'expired' | 'stopped';

export class SessionTimer {
  private current: SessionTimerState = 'idle';
  private agreed: SessionTerms | undefined;
  private refreshHandle: TimerHandle | undefined;
  private expiryHandle: TimerHandle | undefined;

  constructor(
    private readonly party: CallParty,
    private readonly network: SipNetwork,
    private readonly expired: () => void,
  ) {}

  get state(): SessionTimerState {
    return this.current;
  }

  /** The leg's terms, undefined while it has no session timer. */
  get terms(): SessionTerms | undefined {
    return this.agreed;
  }

  /** A refresh in either direction succeeded with these terms (undefined: no timer). */
  renew(terms: SessionTerms | undefined): void {
    if (this.current === 'expired' || this.current === 'stopped') return;
    this.clear();
    this.agreed = terms;
    if (terms === undefined) {
      this.current = 'idle';
      return;
    }
    this.current = 'running';
    const intervalMs = terms.seconds * 1000;
    // §10: the side that does not refresh ends the session this long before it expires.
    const deadlineMs = intervalMs - Math.min(32_000, intervalMs / 3);
    this.expiryHandle = this.network.timers.setTimeout(() => this.expire(), deadlineMs);
    if (terms.refresher === 'provod') {
      this.refreshHandle = this.network.timers.setTimeout(() => this.refresh(), intervalMs / 2);
    }
  }

  /**
   * A phone's 2xx to an INVITE or UPDATE Provod sent on this leg carrying its terms. A
   * phone that does not support `timer` never knew of them (a proxy asked for the timer,
   * §8.1): Provod keeps refreshing it as before.
   */
  answered(response: SipResponse): void {
    const terms = termsAnswered(response);
    const kept = this.agreed;
    if (terms === undefined && kept !== undefined && !supportsTimer(response)) {
      this.renew({ seconds: kept.seconds, refresher: 'provod' });
      return;
    }
    this.renew(terms);
  }

  stop(): void {
    this.clear();
    this.current = 'stopped';
  }

  private refresh(): void {
    if (this.current !== 'running') return;
    this.current = 'refreshing';
    const { party } = this;
    const sdp = party.lastSentSdp;
    if (party.peerAllowsUpdate || sdp === undefined) {
      party.send(party.nextRequest('UPDATE'), (response) => this.refreshEnded(response));
      return;
    }
    const invite = party.nextRequest('INVITE', sdp);
    party.send(invite, (response) => {
      if (response.status >= 200 && response.status < 300) {
        // §13.2.2.4: the ACK of a 2xx, sent end to end; its answer changes nothing here.
        const seq = parseCSeq(invite.headers.get('cseq') ?? '').seq;
        const ack = buildAck(party.dialog, seq, {
          via: this.network.via(party.destination.transport),
        });
        this.network.sendStateless(ack, party.destination);
      }
      this.refreshEnded(response);
    });
  }

  private refreshEnded(response: SipResponse): void {
    if (this.current !== 'refreshing') return;
    if (response.status < 300) {
      this.answered(response);
      return;
    }
    // §10: 408 (our transaction's timeout included) and 481 mean the phone is gone; a
    // transport error (503 here) too. Other refusals leave the session running: one more
    // try halfway to the deadline, which still ends it if that fails too.
    if (response.status === 408 || response.status === 481 || response.status === 503) {
      this.expire();
      return;
    }
    this.current = 'running';
    const terms = this.agreed;
    if (terms === undefined) return;
    const intervalMs = terms.seconds * 1000;
    const retryMs = (intervalMs - Math.min(32_000, intervalMs / 3) - intervalMs / 2) / 2;
    this.refreshHandle = this.network.timers.setTimeout(() => this.refresh(), retryMs);
  }

  private expire(): void {
    if (this.current === 'expired' || this.current === 'stopped') return;
    this.clear();
    this.current = 'expired';
    this.expired();
  }

  private clear(): void {
    const { timers } = this.network;
    if (this.refreshHandle !== undefined) timers.clearTimeout(this.refreshHandle);
    if (this.expiryHandle !== undefined) timers.clearTimeout(this.expiryHandle);
    this.refreshHandle = undefined;
    this.expiryHandle = undefined;
  }
}

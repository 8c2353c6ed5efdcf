import {
  createResponse,
  dialogAsUas,
  dialogIdOfDialog,
  newTag,
  type Dialog,
  type DigestAccount,
  type InviteServerTransaction,
  type SipDestination,
  type SipRequest,
  type SipResponse,
  type TimerHandle,
} from '@provod/sip';
import { AnswerRetransmitter } from './answer-retransmitter.ts';
import { CallParty, otherSide, withBody, type CallSide } from './call-party.ts';
import type { ControlledCall } from './controlled-call.ts';
import { chooseFailure } from './failure-choice.ts';
import { InDialogRelay } from './in-dialog-relay.ts';
import type { CallMedia, CallMediaStats, SdpRole } from './media-anchor.ts';
import { OutboundFork, type ForkEvents } from './outbound-fork.ts';
import {
  allowsMethod,
  sessionResponseHeaders,
  termsAnswered,
  termsRequested,
  type RequestedTerms,
} from './session-expires.ts';
import { SessionTimer } from './session-timer.ts';
import type { SipNetwork } from './sip-network.ts';

/**
 * A call bridged by Provod as a back-to-back user agent: the caller's INVITE is answered
 * by Provod (UAS), and Provod calls every contact of the callee (UAC forks). The first
 * fork to answer wins, the others are cancelled; afterwards the two dialogs are bridged —
 * BYE, re-INVITE (hold), INFO and the like are relayed from one to the other. Every SDP
 * body goes through the call's media (media-anchor.ts): anchored, it is rewritten so the
 * audio flows through Provod's relay; passed through, the phones talk directly.
 *
 *   ringing ──first 2xx──> answered ──BYE either side / no ACK──> ended
 *      └──all forks failed / CANCEL / ring timeout──> ended
 */
export type CallState = 'ringing' | 'answered' | 'ended';

export type CallEndReason =
  | 'caller_hung_up'
  | 'callee_hung_up'
  | 'cancelled'
  | 'no_answer'
  | 'failed'
  | 'no_ack'
  | 'max_duration'
  /** No RTP from a phone for `media.timeoutSeconds` (not counted while on hold). */
  | 'media_timeout'
  /** A leg's RFC 4028 session timer ran out: no refresh came, or ours went unanswered. */
  | 'session_expired';

export interface CallHooks {
  /** A dialog of this call exists now: route its in-dialog requests to the call. */
  dialogCreated(dialogId: string, call: BridgedCall, side: CallSide): void;
  dialogEnded(dialogId: string): void;
  /** A callee answered: the call's talk time starts. */
  answered(call: BridgedCall): void;
  ended(call: BridgedCall, reason: CallEndReason, finalStatus: number | undefined): void;
}

export interface CallTarget {
  readonly invite: SipRequest;
  readonly destination: SipDestination;
  /** A trunk's account for its digest challenge; phones are not asked for one. */
  readonly account?: DigestAccount;
}

export class BridgedCall implements ControlledCall {
  private current: CallState = 'ringing';
  private readonly callerTag = newTag();
  private readonly forks: OutboundFork[] = [];
  private ringTimer: TimerHandle | undefined;
  private events: ForkEvents | undefined;
  /** Trunks tried in turn when the one ringing fails (outbound failover). */
  private fallbacks: CallTarget[] = [];
  private durationTimer: TimerHandle | undefined;
  private maxDurationMs = 0;
  private answer: AnswerRetransmitter | undefined;
  /** The callee's 2xx, acknowledged only once the caller's ACK brings the answer (late offer). */
  private ackOwedToCallee: { fork: OutboundFork; dialog: Dialog } | undefined;
  private caller: CallParty | undefined;
  private callee: CallParty | undefined;
  private relay: InDialogRelay | undefined;
  /** The call's media, remembering once answered the SDP each phone got (session refreshes). */
  private legMedia: CallMedia;
  private finalMediaStats: CallMediaStats | undefined;
  /** What the caller's INVITE and Provod agreed on its leg's session timer (RFC 4028 §9). */
  private callerTerms: RequestedTerms = { kind: 'agreed', terms: undefined, timer: false };
  private sessionTimers = false;

  constructor(
    readonly invite: SipRequest,
    private readonly transaction: InviteServerTransaction,
    private readonly callerDestination: SipDestination,
    private readonly network: SipNetwork,
    private readonly hooks: CallHooks,
    private readonly media: CallMedia,
  ) {
    this.legMedia = media;
  }

  /** Both legs' RTP statistics as the call ended (undefined while it runs, or unanchored). */
  get mediaStats(): CallMediaStats | undefined {
    return this.finalMediaStats;
  }

  get state(): CallState {
    return this.current;
  }

  /**
   * Rings every target at once; answers the caller 480 if nobody answers in time. An
   * answered call is hung up after `maxDurationMs`: a phone that vanished without a BYE
   * must not hold the call forever (until the media engine notices silent RTP). With
   * `sessionExpiresSeconds` (0: off) both legs get RFC 4028 session timers, and a caller
   * asking for too short a one is answered 422.
   */
  start(
    targets: readonly CallTarget[],
    ringTimeoutMs: number,
    maxDurationMs: number,
    sessionExpiresSeconds = 0,
    fallbacks: readonly CallTarget[] = [],
  ): void {
    this.maxDurationMs = maxDurationMs;
    this.sessionTimers = sessionExpiresSeconds > 0;
    if (this.sessionTimers) {
      const configured = { seconds: sessionExpiresSeconds, refresher: 'provod' } as const;
      this.callerTerms = termsRequested(this.invite, configured, true);
      if (this.callerTerms.kind !== 'agreed') {
        const refusal = this.callerTerms.response;
        this.respondToCaller(refusal);
        this.finish('failed', refusal.status);
        return;
      }
    }
    const events: ForkEvents = {
      onProvisional: (_fork, response) => this.onRinging(response),
      onAnswered: (fork, response, dialog) => this.onAnswered(fork, response, dialog),
      onFailed: () => this.onForkFailed(),
    };
    this.events = events;
    this.fallbacks = [...fallbacks];
    for (const target of targets) this.forks.push(this.forkFor(target));
    this.ringTimer = this.network.timers.setTimeout(() => {
      this.endRinging(createResponse(this.invite, 480, { toTag: this.callerTag }), 'no_answer');
    }, ringTimeoutMs);
    for (const fork of this.forks) fork.start();
  }

  /** The caller's CANCEL (RFC 3261 §9.2): 487 to the INVITE, every fork cancelled. */
  cancel(): void {
    this.endRinging(createResponse(this.invite, 487, { toTag: this.callerTag }), 'cancelled');
  }

  /** A phone's ACK: the caller's for our first 2xx, or either's for a relayed re-INVITE. */
  acknowledged(side: CallSide, ack: SipRequest): void {
    if (side === 'caller' && this.answer !== undefined) {
      this.answer.stop();
      this.answer = undefined;
      const owed = this.ackOwedToCallee;
      if (owed !== undefined) {
        this.ackOwedToCallee = undefined;
        this.sendAck(owed.fork, owed.dialog, this.relayed(ack, 'caller', 'answer'));
      }
      return;
    }
    this.relay?.acknowledged(side);
  }

  /** A request within one of the call's dialogs. */
  inDialogRequest(side: CallSide, request: SipRequest, respond: (r: SipResponse) => void): void {
    if (this.relay === undefined || this.current !== 'answered') {
      respond(createResponse(request, 481));
      return;
    }
    this.relay.request(side, request, respond);
  }

  /** A retransmitted 2xx: our ACK was lost, send it again (§13.2.2.4). */
  strayAnswer(response: SipResponse): void {
    this.relay?.strayAnswer(response);
  }

  /** The server stops: a ringing call is cancelled, an answered one hung up. */
  shutdown(): void {
    if (this.current === 'ringing') this.cancel();
    else this.hangUp();
  }

  /** Ends an answered call from outside (shutdown, an operator's hang-up, the time limit). */
  hangUp(reason: CallEndReason = 'caller_hung_up'): void {
    if (this.current !== 'answered') return;
    this.caller?.hangUp();
    this.callee?.hangUp();
    this.finish(reason, undefined);
  }

  private onRinging(response: SipResponse): void {
    if (this.current !== 'ringing') return;
    const relayed = createResponse(this.invite, response.status === 183 ? 183 : 180, {
      toTag: this.callerTag,
      headers: [['Contact', `<${this.network.contactUri(this.callerDestination.transport)}>`]],
    });
    this.respondToCaller(withBody(relayed, this.relayed(response, 'callee', this.calleeRole)));
  }

  private onAnswered(fork: OutboundFork, response: SipResponse, dialog: Dialog): void {
    if (this.current !== 'ringing') {
      // §13.2.2.4: a second fork answered too late; its dialog is acknowledged and ended.
      this.sendAck(fork, dialog, undefined);
      new CallParty(dialog, fork.destination, this.network).hangUp();
      return;
    }
    this.current = 'answered';
    this.hooks.answered(this);
    this.clearRingTimer();
    this.durationTimer = this.network.timers.setTimeout(
      () => this.hangUp('max_duration'),
      this.maxDurationMs,
    );
    for (const other of this.forks) if (other !== fork) other.cancel();

    this.caller = new CallParty(
      dialogAsUas(this.invite, this.callerTag),
      this.callerDestination,
      this.network,
    );
    this.callee = new CallParty(dialog, fork.destination, this.network);
    this.callee.rememberSent(fork.invite.body, fork.invite);
    this.legMedia = rememberingSentSdp(this.media, { caller: this.caller, callee: this.callee });
    const callerContact = `<${this.network.contactUri(this.callerDestination.transport)}>`;
    const callerTerms = this.callerTerms.kind === 'agreed' ? this.callerTerms : undefined;
    const ok = withBody(
      createResponse(this.invite, 200, {
        toTag: this.callerTag,
        headers: [
          ['Contact', callerContact],
          ...sessionResponseHeaders(callerTerms?.terms, callerTerms?.timer ?? false),
        ],
      }),
      this.relayed(response, 'callee', this.calleeRole),
    );
    this.startSessionTimers(this.caller, this.callee, response);
    this.relay = new InDialogRelay(this.caller, this.callee, this.network, this.legMedia, (side) =>
      this.finish(side === 'caller' ? 'caller_hung_up' : 'callee_hung_up', undefined),
    );
    this.media.answered(() => this.hangUp('media_timeout'));
    this.relay.rememberAck(fork.ackFor(dialog));
    this.hooks.dialogCreated(dialogIdOfDialog(this.caller.dialog), this, 'caller');
    this.hooks.dialogCreated(dialogIdOfDialog(dialog), this, 'callee');

    // With an offer in the INVITE the callee's 2xx holds the answer: ACK at once. Without
    // one (late offer) the 2xx holds the offer and the answer comes in the caller's ACK.
    if (this.invite.body.length > 0) this.sendAck(fork, dialog, undefined);
    else this.ackOwedToCallee = { fork, dialog };

    this.respondToCaller(ok);
    this.answer = new AnswerRetransmitter(this.network, ok, this.callerDestination, () => {
      this.answer = undefined;
      this.caller?.hangUp();
      this.callee?.hangUp();
      this.finish('no_ack', undefined);
    });
    this.answer.start(this.caller.reliable);
  }

  /** RFC 4028 on both legs: the caller's as agreed in start(), the callee's as its 2xx set. */
  private startSessionTimers(caller: CallParty, callee: CallParty, answer: SipResponse): void {
    caller.peerAllowsUpdate = allowsMethod(this.invite, 'UPDATE');
    callee.peerAllowsUpdate = allowsMethod(answer, 'UPDATE');
    if (!this.sessionTimers) return;
    const expired = () => this.hangUp('session_expired');
    caller.session = new SessionTimer(caller, this.network, expired);
    callee.session = new SessionTimer(callee, this.network, expired);
    if (this.callerTerms.kind === 'agreed') caller.session.renew(this.callerTerms.terms);
    callee.session.renew(termsAnswered(answer));
  }

  private forkFor(target: CallTarget): OutboundFork {
    const events = this.events;
    if (events === undefined) throw new Error('forks are made once the call started');
    return new OutboundFork(
      target.invite,
      target.destination,
      this.network,
      events,
      target.account,
    );
  }

  private onForkFailed(): void {
    if (this.current !== 'ringing') return;
    if (this.forks.some((fork) => fork.state !== 'failed')) return;
    const statuses = this.forks.map((fork) => fork.failure?.status ?? 500);
    const status = chooseFailure(statuses);
    // A trunk that failed as a trunk (5xx, or no answer at all: 408) hands the call to the
    // next; a busy or rejected callee (4xx, 6xx) is the callee's answer on every trunk.
    const next = this.fallbacks.shift();
    if (
      next !== undefined &&
      statuses.every((failed) => (failed >= 500 && failed < 600) || failed === 408)
    ) {
      const fork = this.forkFor(next);
      this.forks.push(fork);
      fork.start();
      return;
    }
    this.endRinging(createResponse(this.invite, status, { toTag: this.callerTag }), 'failed');
  }

  private endRinging(response: SipResponse, reason: CallEndReason): void {
    if (this.current !== 'ringing') return;
    for (const fork of this.forks) fork.cancel();
    this.respondToCaller(response);
    this.finish(reason, response.status);
  }

  /** The caller's transaction takes responses only while proceeding (a dead transport ends it). */
  private respondToCaller(response: SipResponse): void {
    if (this.transaction.state === 'proceeding') this.transaction.respond(response);
  }

  private sendAck(fork: OutboundFork, dialog: Dialog, carrying: SipRequest | undefined): void {
    const plain = fork.ackFor(dialog);
    const ack = carrying === undefined ? plain : withBody(plain, carrying);
    this.relay?.rememberAck(ack);
    this.network.sendStateless(ack, fork.destination);
  }

  private finish(reason: CallEndReason, finalStatus: number | undefined): void {
    if (this.current === 'ended') return;
    this.current = 'ended';
    this.clearRingTimer();
    if (this.durationTimer !== undefined) this.network.timers.clearTimeout(this.durationTimer);
    this.answer?.stop();
    this.caller?.session?.stop();
    this.callee?.session?.stop();
    this.finalMediaStats = this.media.stats();
    // close() never rejects: the anchor reports socket trouble to its own log.
    void this.media.close();
    if (this.caller !== undefined) this.hooks.dialogEnded(dialogIdOfDialog(this.caller.dialog));
    if (this.callee !== undefined) this.hooks.dialogEnded(dialogIdOfDialog(this.callee.dialog));
    this.hooks.ended(this, reason, finalStatus);
  }

  /** The callee's SDP answers the caller's offer, or offers itself when the INVITE had none. */
  private get calleeRole(): SdpRole {
    return this.invite.body.length > 0 ? 'answer' : 'offer';
  }

  /** `message` with its body as the call's media passes it to the other phone. */
  private relayed<Message extends SipRequest | SipResponse>(
    message: Message,
    from: CallSide,
    role: SdpRole,
  ): Message {
    return { ...message, body: this.legMedia.relayBody(from, message, role) };
  }

  private clearRingTimer(): void {
    if (this.ringTimer !== undefined) this.network.timers.clearTimeout(this.ringTimer);
    this.ringTimer = undefined;
  }
}

/** The call's media, noting on each party the SDP relayed to it: a refresh re-INVITE's offer. */
function rememberingSentSdp(media: CallMedia, parties: Record<CallSide, CallParty>): CallMedia {
  return {
    relayBody: (from, message, role) => {
      const body = media.relayBody(from, message, role);
      parties[otherSide(from)].rememberSent(body, message);
      return body;
    },
    answered: (onTimeout) => media.answered(onTimeout),
    stats: () => media.stats(),
    tapAudio: (side, onAudio) => media.tapAudio(side, onAudio),
    close: () => media.close(),
  };
}

import {
  joinLegs,
  listenForDtmf,
  type BridgeLegStats,
  type LegRelay,
  type MediaLeg,
} from '@provod/media';
import {
  dialogIdOfDialog,
  type InviteServerTransaction,
  type SipDestination,
  type SipRequest,
  type SipResponse,
  type TimerHandle,
} from '@provod/sip';
import type { CallSide } from '../calls/call-party.ts';
import type { CallIdentity } from '../calls/call-events.ts';
import type { ControlledCall } from '../calls/controlled-call.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import type { CallEnd } from '../routing/node-handler.ts';
import type { RoutingPathStep } from '../routing/routing-engine.ts';
import { AnsweringLeg } from './answering-leg.ts';
import { DigitQueue } from './digit-queue.ts';
import { LocalSdp } from './local-sdp.ts';
import type { AnsweredRing } from './ring-attempt.ts';
import { TerminatedDialog } from './terminated-dialog.ts';

/** Why a routed call ended, for the CDR's hang-up cause. */
export type RoutedCallEndReason =
  | 'caller_hung_up'
  | 'callee_hung_up'
  | 'cancelled'
  /** The scheme hung up (a hang-up node, an edge to nothing, the loop limit). */
  | 'scheme_ended'
  /** The scheme failed (a node's error): the caller got 500 or a BYE. */
  | 'failed'
  | 'no_ack'
  | 'max_duration'
  | 'media_timeout'
  /** The server stopped. */
  | 'shutdown';

export interface RoutedCallHooks {
  dialogCreated(dialogId: string, call: RoutedCall, side: CallSide): void;
  dialogEnded(dialogId: string): void;
  /** A phone (or a number through a trunk) answered and the caller is bridged to it. */
  answered(call: RoutedCall, by: string): void;
  ended(call: RoutedCall, reason: RoutedCallEndReason): void;
}

export interface RoutedCallMedia {
  readonly caller: BridgeLegStats;
  readonly callee: BridgeLegStats | undefined;
}

/** The callee a ring reached: its dialog with Provod and its media leg, joined to the caller's. */
interface Bridged {
  readonly number: string;
  readonly dialog: TerminatedDialog;
  readonly leg: MediaLeg;
  readonly relay: LegRelay;
  readonly ack: SipRequest;
}

/**
 * The SIP and media state of a call Provod answers and routes by a scheme: the caller's
 * leg (answering-leg.ts) with its media leg, the keys it pressed, and — once a ring is
 * answered — the callee it is bridged to. routed-call-actions.ts turns this into the
 * routing engine's CallActions; routed-call-control.ts creates and indexes the calls.
 *
 *   routing ──a ring answered──> bridged ──BYE either side──> ended
 *      └──the scheme hangs up / CANCEL / BYE / failure────────> ended
 */
export class RoutedCall implements ControlledCall {
  readonly digits: DigitQueue;
  readonly callerSdp: LocalSdp;
  readonly caller: AnsweringLeg;
  readonly hungUp = new AbortController();
  readonly startedAt: Date;
  answeredAt: Date | undefined;
  bridgedAt: Date | undefined;
  path: readonly RoutingPathStep[] = [];
  end: CallEnd | undefined;
  /** A message the caller left, even if they hung up while leaving it. */
  voicemailLeft: string | undefined;
  /** Who calls whom, set by startRoutedCall: the live panel's view of the call. */
  identity: CallIdentity = {
    callId: '',
    direction: 'inbound',
    caller: '',
    callee: '',
    startedAt: new Date(0),
  };
  /** The tenant the call belongs to, set by startRoutedCall. */
  tenantId = '';
  /** Work that outlives the caller's hang-up (saving a message): the CDR waits for it. */
  private readonly lingering = new Set<Promise<unknown>>();
  private bridged: Bridged | undefined;
  private finalMedia: RoutedCallMedia | undefined;
  private stopDtmf: (() => void) | undefined;
  private readonly durationTimer: TimerHandle;
  private endReason: RoutedCallEndReason | undefined;
  private bridgeEnded: (() => void) | undefined;

  /** Throws SdpParseError / SdpNegotiationError for an INVITE offer Provod cannot take. */
  constructor(
    invite: SipRequest,
    transaction: InviteServerTransaction,
    source: SipDestination,
    readonly callerLeg: MediaLeg,
    readonly network: SipNetwork,
    advertisedHost: string,
    private readonly hooks: RoutedCallHooks,
    clock: () => Date,
    maxDurationMs: number,
  ) {
    this.startedAt = clock();
    this.digits = new DigitQueue(network.timers);
    this.callerSdp = new LocalSdp(advertisedHost, callerLeg.localPort);
    this.caller = new AnsweringLeg(invite, transaction, source, network, this.callerSdp, {
      dialogCreated: (id) => hooks.dialogCreated(id, this, 'caller'),
      dialogEnded: (id) => hooks.dialogEnded(id),
      hungUp: () => {
        this.caller.ended();
        this.bridged?.dialog.hangUp();
        this.finish('caller_hung_up');
      },
      formatChanged: (format) => callerLeg.configure(format),
      digit: (digit) => this.digits.push(digit),
      cancelled: () => this.finish('cancelled'),
      noAck: () => {
        this.bridged?.dialog.hangUp();
        this.finish('no_ack');
      },
    });
    const offered = this.caller.offeredFormat;
    if (offered !== undefined) callerLeg.configure(offered);
    this.listenForKeys();
    this.durationTimer = network.timers.setTimeout(
      () => this.hangUp('max_duration'),
      maxDurationMs,
    );
  }

  get reason(): RoutedCallEndReason | undefined {
    return this.endReason;
  }

  get media(): RoutedCallMedia {
    return this.finalMedia ?? this.currentMedia();
  }

  /** The extension that answered, once a ring was answered. */
  get answeredBy(): string | undefined {
    return this.bridged?.number;
  }

  get sipCallId(): string {
    return this.caller.invite.headers.get('call-id') ?? '';
  }

  /** Joins the caller to the phone that answered a ring; the call ends when either hangs up. */
  bridge(
    number: string,
    answered: AnsweredRing,
    callee: { readonly leg: MediaLeg; readonly sdp: LocalSdp },
    now: Date,
  ): void {
    const { leg, sdp } = callee;
    this.stopDtmf?.();
    this.stopDtmf = undefined;
    leg.configure(answered.format);
    const dialog = new TerminatedDialog(answered.party, sdp, this.network, {
      hungUp: () => {
        this.caller.hangUp();
        this.finish('callee_hung_up');
      },
      formatChanged: (format) => leg.configure(format),
      // Keys from the callee mean nothing to the scheme, which is done.
      digit: () => undefined,
    });
    this.bridged = { number, dialog, leg, relay: joinLegs(this.callerLeg, leg), ack: answered.ack };
    this.bridgedAt = now;
    this.hooks.dialogCreated(dialogIdOfDialog(answered.party.dialog), this, 'callee');
    this.hooks.answered(this, number);
  }

  /** Runs `work` to its end even if the caller hangs up meanwhile; see `settled`. */
  outliving<T>(work: Promise<T>): Promise<T> {
    const tracked = work.finally(() => this.lingering.delete(tracked));
    this.lingering.add(tracked);
    return work;
  }

  /** Resolves once the work started with `outliving` is done, however it ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.lingering]);
  }

  /** Resolves when a bridged call is over (at once when it is not bridged or already over). */
  untilBridgeEnds(): Promise<void> {
    if (this.bridged === undefined || this.endReason !== undefined) return Promise.resolve();
    return new Promise((resolve) => (this.bridgeEnded = resolve));
  }

  /** A request within the caller's or the callee's dialog. */
  inDialogRequest(side: CallSide, request: SipRequest, respond: (r: SipResponse) => void): void {
    if (side === 'caller') this.caller.request(request, respond);
    else if (this.bridged !== undefined) this.bridged.dialog.request(request, respond);
  }

  acknowledged(side: CallSide, ack: SipRequest): void {
    if (side === 'caller') this.caller.acknowledged(ack);
    else this.bridged?.dialog.acknowledged(ack);
  }

  /** The callee's 2xx again: Provod's ACK was lost (§13.2.2.4). */
  strayAnswer(_response: SipResponse): void {
    const bridged = this.bridged;
    if (bridged !== undefined)
      this.network.sendStateless(bridged.ack, bridged.dialog.party.destination);
  }

  /** The caller's CANCEL. */
  cancel(): void {
    this.caller.cancel();
  }

  /** Ends the call from Provod's side: BYE to whoever is on it, 480 when nobody answered yet. */
  hangUp(reason: RoutedCallEndReason, status = 480): void {
    this.caller.hangUp(status);
    this.bridged?.dialog.hangUp();
    this.finish(reason);
  }

  shutdown(): void {
    this.hangUp('shutdown');
  }

  /** No RTP from the caller for the media timeout, once answered. */
  mediaStopped(): void {
    if (this.answeredAt !== undefined) this.hangUp('media_timeout');
  }

  /** Marks the end once: the walk is abandoned, media and timers released, hooks told. */
  finish(reason: RoutedCallEndReason): void {
    if (this.endReason !== undefined) return;
    this.endReason = reason;
    this.hungUp.abort();
    this.network.timers.clearTimeout(this.durationTimer);
    this.stopDtmf?.();
    this.finalMedia = this.currentMedia();
    this.bridged?.relay.stop();
    this.caller.release();
    if (this.bridged !== undefined) {
      this.hooks.dialogEnded(dialogIdOfDialog(this.bridged.dialog.party.dialog));
    }
    // close() never rejects: the legs report socket trouble through their onError.
    void this.callerLeg.close();
    if (this.bridged !== undefined) void this.bridged.leg.close();
    this.bridgeEnded?.();
    this.hooks.ended(this, reason);
  }

  private currentMedia(): RoutedCallMedia {
    return { caller: this.callerLeg.stats(), callee: this.bridged?.leg.stats() };
  }

  private listenForKeys(): void {
    const listener = listenForDtmf(this.callerLeg, (digit) => this.digits.push(digit));
    this.stopDtmf = () => listener.stop();
  }
}

import type { BridgeLegFormat } from '@provod/media';
import {
  SdpNegotiationError,
  SdpParseError,
  type Dialog,
  type SipRequest,
  type SipResponse,
  type TimerHandle,
} from '@provod/sip';
import type { CallTarget } from '../calls/bridged-call.ts';
import { CallParty } from '../calls/call-party.ts';
import { chooseFailure } from '../calls/failure-choice.ts';
import { OutboundFork, type ForkEvents } from '../calls/outbound-fork.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import type { LocalSdp } from './local-sdp.ts';

/** The phone that answered: its dialog, its media terms and the ACK Provod sent it. */
export interface AnsweredRing {
  /** Which of the targets answered (its index in the list rung). */
  readonly target: number;
  readonly party: CallParty;
  readonly format: BridgeLegFormat;
  readonly ack: SipRequest;
}

export type RingResult =
  | { readonly kind: 'answered'; readonly answered: AnsweredRing }
  | { readonly kind: 'busy' | 'no_answer' | 'unreachable' };

export interface RingAttemptEvents {
  /** A phone is ringing (a first 180/183): the caller may hear ringing now. */
  ringing(): void;
}

/**
 * One ring of a routed call: Provod's INVITE, with its own offer (the callee's media leg),
 * to every registered contact at once. The first 2xx wins and is acknowledged, the other
 * forks are cancelled; a late 2xx gets ACK and BYE (§13.2.2.4). All forks failing gives
 * busy (486, 6xx), no answer (480, 408, 487) or unreachable (anything else); the timeout
 * and the caller's hang-up (the signal) cancel the forks and count as no answer.
 */
export class RingAttempt {
  private readonly forks: OutboundFork[] = [];
  private settle: ((result: RingResult) => void) | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly network: SipNetwork,
    private readonly sdp: LocalSdp,
    private readonly events: RingAttemptEvents,
  ) {}

  run(targets: readonly CallTarget[], timeoutMs: number, signal: AbortSignal): Promise<RingResult> {
    if (targets.length === 0 || signal.aborted) {
      return Promise.resolve({ kind: targets.length === 0 ? 'unreachable' : 'no_answer' });
    }
    return new Promise<RingResult>((resolve) => {
      const onAbort = () => this.finish({ kind: 'no_answer' });
      this.settle = (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const events: ForkEvents = {
        onProvisional: () => {
          if (this.settle !== undefined) this.events.ringing();
        },
        onAnswered: (fork, response, dialog) => this.answered(fork, response, dialog),
        onFailed: () => this.failed(),
      };
      for (const target of targets) {
        this.forks.push(
          new OutboundFork(target.invite, target.destination, this.network, events, target.account),
        );
      }
      this.timer = this.network.timers.setTimeout(
        () => this.finish({ kind: 'no_answer' }),
        timeoutMs,
      );
      for (const fork of this.forks) fork.start();
    });
  }

  private answered(fork: OutboundFork, response: SipResponse, dialog: Dialog): void {
    const ack = fork.ackFor(dialog);
    this.network.sendStateless(ack, fork.destination);
    const party = new CallParty(dialog, fork.destination, this.network);
    if (this.settle === undefined) {
      party.hangUp();
      return;
    }
    let format: BridgeLegFormat;
    try {
      format = this.sdp.answered(response.body);
    } catch (error) {
      if (!(error instanceof SdpParseError) && !(error instanceof SdpNegotiationError)) throw error;
      // A phone that answered with media Provod cannot use is hung up, as a failed fork.
      party.hangUp();
      this.failed();
      return;
    }
    const target = this.forks.indexOf(fork);
    this.finish({ kind: 'answered', answered: { target, party, format, ack } });
  }

  private failed(): void {
    if (this.settle === undefined) return;
    if (this.forks.some((fork) => fork.state !== 'failed' && fork.state !== 'answered')) return;
    const status = chooseFailure(this.forks.map((fork) => fork.failure?.status ?? 488));
    this.finish({ kind: outcomeOf(status) });
  }

  private finish(result: RingResult): void {
    const settle = this.settle;
    if (settle === undefined) return;
    this.settle = undefined;
    if (this.timer !== undefined) this.network.timers.clearTimeout(this.timer);
    for (const fork of this.forks) fork.cancel();
    settle(result);
  }
}

function outcomeOf(status: number): 'busy' | 'no_answer' | 'unreachable' {
  if (status === 486 || status >= 600) return 'busy';
  if (status === 480 || status === 408 || status === 487) return 'no_answer';
  return 'unreachable';
}

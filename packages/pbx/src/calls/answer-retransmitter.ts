import type { SipDestination, SipResponse, TimerHandle } from '@provod/sip';
import type { SipNetwork } from './sip-network.ts';

/**
 * RFC 3261 §13.3.1.4: the UAS core, not the transaction, keeps a 2xx to an INVITE alive
 * until its ACK arrives — resent at T1, doubling up to T2, on unreliable transports; on
 * any transport, given up after 64*T1, when the dialog must be ended with a BYE.
 */
export class AnswerRetransmitter {
  private handle: TimerHandle | undefined;
  private deadline: TimerHandle | undefined;

  constructor(
    private readonly network: SipNetwork,
    private readonly response: SipResponse,
    private readonly destination: SipDestination,
    private readonly onNoAck: () => void,
  ) {}

  start(reliable: boolean): void {
    const { timers, t1, t2 } = this.network;
    if (!reliable) {
      const resend = (interval: number) => {
        this.handle = timers.setTimeout(() => {
          this.network.sendStateless(this.response, this.destination);
          resend(Math.min(interval * 2, t2));
        }, interval);
      };
      resend(t1);
    }
    this.deadline = timers.setTimeout(() => {
      this.stop();
      this.onNoAck();
    }, 64 * t1);
  }

  /** The ACK came (or the call ended): no more copies. */
  stop(): void {
    const { timers } = this.network;
    if (this.handle !== undefined) timers.clearTimeout(this.handle);
    if (this.deadline !== undefined) timers.clearTimeout(this.deadline);
    this.handle = undefined;
    this.deadline = undefined;
  }
}

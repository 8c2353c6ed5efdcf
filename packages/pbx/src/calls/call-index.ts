import type { InviteServerTransaction } from '@provod/sip';
import type { CallSide } from './call-party.ts';
import type { ControlledCall } from './controlled-call.ts';
import type { SipNetwork } from './sip-network.ts';

/**
 * Call control's indexes: calls by their caller's INVITE transaction (for CANCEL), by the
 * initial INVITE's identity (a retransmission after our 2xx is not a new call), and by
 * dialog (in-dialog requests, ACKs, stray 2xx); the calls in progress.
 */
export class CallIndex {
  readonly byInvite = new Map<InviteServerTransaction, ControlledCall>();
  /** Initial INVITEs by Call-ID, From tag and CSeq. */
  readonly byRequest = new Map<string, ControlledCall>();
  readonly dialogs = new Map<string, { call: ControlledCall; side: CallSide }>();
  readonly active = new Set<ControlledCall>();

  constructor(private readonly network: SipNetwork) {}

  add(call: ControlledCall, transaction: InviteServerTransaction, key: string): void {
    this.byInvite.set(transaction, call);
    this.byRequest.set(key, call);
    this.active.add(call);
  }

  remove(call: ControlledCall, transaction: InviteServerTransaction, key: string): void {
    this.active.delete(call);
    this.byInvite.delete(transaction);
    // Kept until a retransmitted INVITE can no longer arrive (64*T1, §17.2.1 Timer H).
    this.network.timers.setTimeout(() => this.byRequest.delete(key), 64 * this.network.t1);
  }

  dialogCreated(dialogId: string, call: ControlledCall, side: CallSide): void {
    this.dialogs.set(dialogId, { call, side });
  }

  dialogEnded(dialogId: string): void {
    this.dialogs.delete(dialogId);
  }
}

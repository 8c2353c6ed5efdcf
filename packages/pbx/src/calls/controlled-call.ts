import type { SipRequest, SipResponse } from '@provod/sip';
import type { CallSide } from './call-party.ts';

/**
 * What call control asks of any call it indexes — a bridged extension call
 * (bridged-call.ts) or a call routed by a scheme (routed/routed-call.ts): the messages of
 * its dialogs, the caller's CANCEL, and the shutdown.
 */
export interface ControlledCall {
  inDialogRequest(side: CallSide, request: SipRequest, respond: (r: SipResponse) => void): void;
  /** An ACK within one of the call's dialogs. */
  acknowledged(side: CallSide, ack: SipRequest): void;
  /** A 2xx retransmitted after its transaction ended: Provod's ACK was lost. */
  strayAnswer(response: SipResponse): void;
  /** The caller's CANCEL, before the call was answered. */
  cancel(): void;
  /** The server stops: ringing calls are cancelled, answered ones get BYEs. */
  shutdown(): void;
}

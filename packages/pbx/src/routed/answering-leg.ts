import type { BridgeLegFormat } from '@provod/media';
import {
  createResponse,
  dialogAsUas,
  dialogIdOfDialog,
  newTag,
  type InviteServerTransaction,
  type SipDestination,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { AnswerRetransmitter } from '../calls/answer-retransmitter.ts';
import { CallParty } from '../calls/call-party.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import type { LocalSdp, SettledSdp } from './local-sdp.ts';
import { TerminatedDialog, type TerminatedDialogEvents } from './terminated-dialog.ts';

/**
 * The caller's side of a call Provod answers itself (RFC 3261 §13.3 as a UAS): ringing,
 * early media, the answer — each when the routing scheme asks for it — and afterwards the
 * dialog (terminated-dialog.ts).
 *
 *   proceeding ──183──> early ──200──> answered ──BYE / hang-up / no ACK──> ended
 *        └──────────────┴──final failure / CANCEL──────────────────────> ended
 */
export type AnsweringLegState = 'proceeding' | 'early' | 'answered' | 'ended';

export interface AnsweringLegEvents extends TerminatedDialogEvents {
  dialogCreated(dialogId: string): void;
  dialogEnded(dialogId: string): void;
  /** The caller's CANCEL: it gave up before the answer. */
  cancelled(): void;
  /** Provod's 200 was never acknowledged (§13.3.1.4): the call is over. */
  noAck(): void;
}

export class AnsweringLeg {
  private current: AnsweringLegState = 'proceeding';
  private readonly tag = newTag();
  /** Provod's answer to the INVITE's offer; undefined for a late offer (no SDP in the INVITE). */
  private readonly settled: SettledSdp | undefined;
  private retransmitter: AnswerRetransmitter | undefined;
  private dialog: TerminatedDialog | undefined;

  /** Throws SdpParseError or SdpNegotiationError for an offer Provod cannot take (488). */
  constructor(
    readonly invite: SipRequest,
    private readonly transaction: InviteServerTransaction,
    private readonly destination: SipDestination,
    private readonly network: SipNetwork,
    private readonly sdp: LocalSdp,
    private readonly events: AnsweringLegEvents,
  ) {
    this.settled = invite.body.length > 0 ? sdp.answer(invite.body) : undefined;
  }

  get state(): AnsweringLegState {
    return this.current;
  }

  /** The caller's media format, known from the INVITE's offer (undefined until a late answer). */
  get offeredFormat(): BridgeLegFormat | undefined {
    return this.settled?.format;
  }

  /** 180 Ringing. */
  ringing(): void {
    if (this.current === 'proceeding') this.respond(this.response(180));
  }

  /**
   * 183 Session Progress with Provod's answer (RFC 3960 early media). A late-offer INVITE
   * cannot get one without reliable provisionals (RFC 3262), so it only hears ringing: false.
   */
  earlyMedia(): boolean {
    if (this.current !== 'proceeding' || this.settled === undefined) return false;
    this.current = 'early';
    this.respond(this.withSdp(this.response(183), this.settled.body));
    return true;
  }

  /** 200 OK with the answer (or, for a late offer, Provod's offer), resent until the ACK. */
  answer(): void {
    if (this.current !== 'proceeding' && this.current !== 'early') return;
    this.current = 'answered';
    const party = new CallParty(dialogAsUas(this.invite, this.tag), this.destination, this.network);
    this.dialog = new TerminatedDialog(party, this.sdp, this.network, this.events);
    this.events.dialogCreated(dialogIdOfDialog(party.dialog));
    const body = this.settled?.body ?? this.sdp.offer();
    // A late offer: the ACK's answer completes Provod's offer, as after a re-INVITE.
    if (this.settled === undefined) this.dialog.expectAnswerInAck();
    const ok = this.withSdp(this.response(200), body);
    this.respond(ok);
    this.retransmitter = new AnswerRetransmitter(this.network, ok, this.destination, () => {
      this.retransmitter = undefined;
      this.hangUp();
      this.events.noAck();
    });
    this.retransmitter.start(party.reliable);
  }

  /** A final failure before the answer (486, 480, 603…); ignored once answered or ended. */
  reject(status: number): void {
    if (this.current !== 'proceeding' && this.current !== 'early') return;
    this.current = 'ended';
    this.respond(this.response(status));
  }

  /** The caller's CANCEL (§9.2): 487 to the INVITE. */
  cancel(): void {
    if (this.current !== 'proceeding' && this.current !== 'early') return;
    this.current = 'ended';
    this.respond(this.response(487));
    this.events.cancelled();
  }

  /** An ACK in the dialog: for Provod's first 200 (maybe with the late answer), or a re-INVITE's. */
  acknowledged(ack: SipRequest): void {
    this.retransmitter?.stop();
    this.retransmitter = undefined;
    this.dialog?.acknowledged(ack);
  }

  request(request: SipRequest, respond: (response: SipResponse) => void): void {
    if (this.dialog === undefined || this.current !== 'answered') {
      respond(createResponse(request, 481));
      return;
    }
    this.dialog.request(request, respond);
  }

  /** Provod ends the call: BYE when answered, else 480 (nobody took it). Idempotent. */
  hangUp(status = 480): void {
    if (this.current === 'answered') {
      this.current = 'ended';
      this.retransmitter?.stop();
      this.retransmitter = undefined;
      this.dialog?.hangUp();
    } else {
      this.reject(status);
    }
  }

  /** The caller sent BYE (the dialog saw it): nothing more goes out. */
  ended(): void {
    this.current = 'ended';
    this.retransmitter?.stop();
    this.retransmitter = undefined;
    this.dialog?.stop();
  }

  /** Forgets the dialog in the call control's index; call once the call is over. */
  release(): void {
    if (this.dialog !== undefined)
      this.events.dialogEnded(dialogIdOfDialog(this.dialog.party.dialog));
  }

  private response(status: number): SipResponse {
    const headers: [string, string][] =
      status < 300 ? [['Contact', `<${this.network.contactUri(this.destination.transport)}>`]] : [];
    return createResponse(this.invite, status, { toTag: this.tag, headers });
  }

  private withSdp(response: SipResponse, body: Buffer): SipResponse {
    response.headers.append('Content-Type', 'application/sdp');
    return { ...response, body };
  }

  /** The transaction takes responses only while proceeding (a dead transport ends it). */
  private respond(response: SipResponse): void {
    if (this.transaction.state === 'proceeding') this.transaction.respond(response);
  }
}

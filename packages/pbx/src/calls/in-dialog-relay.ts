import {
  acceptInDialogRequest,
  buildAck,
  createResponse,
  parseCSeq,
  refreshRemoteTarget,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { AnswerRetransmitter } from './answer-retransmitter.ts';
import { otherSide, withBody, type CallParty, type CallSide } from './call-party.ts';
import type { CallMedia, SdpRole } from './media-anchor.ts';
import type { SipNetwork } from './sip-network.ts';

/** Methods relayed as they are: their meaning is between the two phones. */
const RELAYED_METHODS = new Set(['INFO', 'UPDATE', 'MESSAGE', 'NOTIFY', 'OPTIONS']);

/**
 * The bridge between an answered call's two dialogs: a request from one phone becomes
 * the same request in the other dialog, and the other phone's final response goes back.
 * BYE ends both; re-INVITE (hold, codec change) is relayed with its offer and answer,
 * one at a time — a second one while the first is open gets 491 (RFC 3261 §14.2). Their
 * SDP, and UPDATE's (RFC 3311), goes through the call's media, which keeps Provod's
 * address in what each phone sees and follows hold and resume.
 * REFER and SUBSCRIBE are not relayed: transfer belongs to the PBX's call control.
 */
export class InDialogRelay {
  private inviteOpen = false;
  private readonly answers = new Map<CallSide, AnswerRetransmitter>();
  /** A relayed 2xx held an offer: its ACK waits for the other phone's ACK with the answer. */
  private readonly owedAcks = new Map<CallSide, SipRequest>();
  /** The ACKs Provod sent, by Call-ID and CSeq, to repeat when a 2xx is retransmitted. */
  private readonly sentAcks = new Map<string, SipRequest>();

  constructor(
    private readonly caller: CallParty,
    private readonly callee: CallParty,
    private readonly network: SipNetwork,
    private readonly media: CallMedia,
    private readonly onHungUp: (side: CallSide) => void,
  ) {}

  request(side: CallSide, request: SipRequest, respond: (response: SipResponse) => void): void {
    const from = this.party(side);
    const to = this.party(otherSide(side));
    const check = acceptInDialogRequest(from.dialog, request);
    if (check.kind === 'out_of_order') {
      respond(
        createResponse(request, 500, { reason: 'Server Internal Error (CSeq out of order)' }),
      );
      return;
    }
    from.dialog = check.dialog;
    if (request.method === 'BYE') {
      respond(createResponse(request, 200));
      to.hangUp();
      this.stopAll();
      this.onHungUp(side);
      return;
    }
    if (request.method === 'INVITE') {
      this.relayInvite(side, request, respond);
      return;
    }
    if (!RELAYED_METHODS.has(request.method)) {
      respond(createResponse(request, 501));
      return;
    }
    // RFC 3311 §5: an UPDATE's body is an offer and its 2xx's the answer.
    const carriesSdp = request.method === 'UPDATE';
    const relayed = to.nextRequest(
      request.method,
      carriesSdp ? this.content(request, side, 'offer') : content(request),
    );
    to.send(relayed, (response) => {
      const body =
        carriesSdp && response.status < 300
          ? this.relayed(response, otherSide(side), 'answer')
          : response;
      respond(
        withBody(createResponse(request, response.status, { reason: response.reason }), body),
      );
    });
  }

  /** The ACK for Provod's 2xx to a re-INVITE from this side. */
  acknowledged(side: CallSide, ack: SipRequest): void {
    this.answers.get(side)?.stop();
    this.answers.delete(side);
    const owed = this.owedAcks.get(side);
    if (owed === undefined) return;
    this.owedAcks.delete(side);
    const to = this.party(otherSide(side));
    this.sendAck(withBody(owed, this.relayed(ack, side, 'answer')), to);
  }

  rememberAck(ack: SipRequest): void {
    this.sentAcks.set(ackKey(ack), ack);
  }

  /** §13.2.2.4: a retransmitted 2xx means our ACK was lost; send the same ACK again. */
  strayAnswer(response: SipResponse): void {
    const ack = this.sentAcks.get(ackKey(response));
    if (ack === undefined) return;
    const side =
      response.headers.get('call-id') === this.callee.dialog.callId ? this.callee : this.caller;
    this.network.sendStateless(ack, side.destination);
  }

  stopAll(): void {
    for (const answer of this.answers.values()) answer.stop();
    this.answers.clear();
  }

  private relayInvite(
    side: CallSide,
    request: SipRequest,
    respond: (r: SipResponse) => void,
  ): void {
    if (this.inviteOpen) {
      respond(createResponse(request, 491));
      return;
    }
    const from = this.party(side);
    const to = this.party(otherSide(side));
    from.dialog = refreshRemoteTarget(from.dialog, request);
    this.inviteOpen = true;
    const reinvite = to.nextRequest('INVITE', this.content(request, side, 'offer'));
    to.send(reinvite, (response) => {
      this.inviteOpen = false;
      if (response.status >= 300) {
        respond(createResponse(request, response.status, { reason: response.reason }));
        return;
      }
      to.dialog = refreshRemoteTarget(to.dialog, response);
      const ack = buildAck(to.dialog, parseCSeq(reinvite.headers.get('cseq') ?? '').seq, {
        via: this.network.via(to.destination.transport),
      });
      // An offerless re-INVITE gets the offer in the 2xx; the answer comes in the ACK.
      if (request.body.length > 0) this.sendAck(ack, to);
      else this.owedAcks.set(side, ack);
      const role: SdpRole = request.body.length > 0 ? 'answer' : 'offer';
      const ok = withBody(
        createResponse(request, 200, { headers: [['Contact', from.contactHeader]] }),
        this.relayed(response, otherSide(side), role),
      );
      respond(ok);
      const answer = new AnswerRetransmitter(this.network, ok, from.destination, () => {
        this.answers.delete(side);
      });
      this.answers.set(side, answer);
      answer.start(from.reliable);
    });
  }

  private sendAck(ack: SipRequest, to: CallParty): void {
    this.rememberAck(ack);
    this.network.sendStateless(ack, to.destination);
  }

  /** `message` with its body as the call's media passes it to the other phone. */
  private relayed<Message extends SipRequest | SipResponse>(
    message: Message,
    from: CallSide,
    role: SdpRole,
  ): Message {
    return { ...message, body: this.media.relayBody(from, message, role) };
  }

  private content(
    request: SipRequest,
    from: CallSide,
    role: SdpRole,
  ): { body: Buffer; contentType: string | undefined } {
    return { ...content(request), body: this.media.relayBody(from, request, role) };
  }

  private party(side: CallSide): CallParty {
    return side === 'caller' ? this.caller : this.callee;
  }
}

function content(request: SipRequest): { body: Buffer; contentType: string | undefined } {
  return { body: request.body, contentType: request.headers.get('content-type') };
}

function ackKey(message: SipRequest | SipResponse): string {
  const seq = parseCSeq(message.headers.get('cseq') ?? '').seq;
  return `${message.headers.get('call-id') ?? ''}\u0000${seq}`;
}

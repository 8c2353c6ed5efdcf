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
import { sessionResponseHeaders, termsRequested, type RequestedTerms } from './session-expires.ts';
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
 * A re-INVITE or UPDATE without SDP is a session refresh (RFC 4028 §9), or a target
 * refresh: it means nothing to the other phone, so Provod answers it itself.
 */
export class InDialogRelay {
  private inviteOpen = false;
  private readonly answers = new Map<CallSide, AnswerRetransmitter>();
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
    const refreshes = request.method === 'INVITE' || request.method === 'UPDATE';
    const granted = refreshes ? termsRequested(request, from.session?.terms, false) : undefined;
    if (granted !== undefined && granted.kind !== 'agreed') {
      respond(granted.response);
      return;
    }
    if (granted !== undefined && request.body.length === 0) {
      this.answerLocally(side, request, granted, respond);
      return;
    }
    if (request.method === 'INVITE') {
      this.relayInvite(side, request, respond, granted);
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
      const accepted = carriesSdp && response.status < 300;
      if (accepted) this.refreshed(side, granted, response);
      const body = accepted ? this.relayed(response, otherSide(side), 'answer') : response;
      const headers = accepted ? this.sessionHeaders(granted) : [];
      respond(
        withBody(
          createResponse(request, response.status, { reason: response.reason, headers }),
          body,
        ),
      );
    });
  }

  /** The ACK for Provod's 2xx to a re-INVITE from this side. */
  acknowledged(side: CallSide): void {
    // The answer an ACK may carry (to Provod's offer in a locally answered re-INVITE) is
    // the one the phone already gave: nothing to relay.
    this.answers.get(side)?.stop();
    this.answers.delete(side);
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
    granted: RequestedTerms | undefined,
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
      // Offerless re-INVITEs are answered locally (answerLocally): this one held the offer.
      this.sendAck(ack, to);
      this.refreshed(side, granted, response);
      const ok = withBody(
        createResponse(request, 200, {
          headers: [['Contact', from.contactHeader], ...this.sessionHeaders(granted)],
        }),
        this.relayed(response, otherSide(side), 'answer'),
      );
      this.respondToInvite(side, ok, respond);
    });
  }

  /**
   * A refresh without SDP, answered by Provod: the UPDATE with a bare 200, an offerless
   * re-INVITE with the SDP this phone last got from Provod, unchanged (RFC 3264 §8: no new
   * version, nothing changes); the answer in its ACK stays here.
   */
  private answerLocally(
    side: CallSide,
    request: SipRequest,
    granted: RequestedTerms,
    respond: (r: SipResponse) => void,
  ): void {
    const from = this.party(side);
    from.dialog = refreshRemoteTarget(from.dialog, request);
    if (granted.kind === 'agreed') from.session?.renew(granted.terms);
    const ok = createResponse(request, 200, {
      headers: [['Contact', from.contactHeader], ...this.sessionHeaders(granted)],
    });
    const sdp = from.lastSentSdp;
    if (request.method === 'UPDATE' || sdp === undefined) {
      respond(ok);
      return;
    }
    if (sdp.contentType !== undefined) ok.headers.append('Content-Type', sdp.contentType);
    this.respondToInvite(side, { ...ok, body: sdp.body }, respond);
  }

  /** §13.3.1.4: a 2xx to a re-INVITE is resent until its ACK comes. */
  private respondToInvite(side: CallSide, ok: SipResponse, respond: (r: SipResponse) => void) {
    const from = this.party(side);
    respond(ok);
    this.answers.get(side)?.stop();
    const answer = new AnswerRetransmitter(this.network, ok, from.destination, () => {
      this.answers.delete(side);
    });
    this.answers.set(side, answer);
    answer.start(from.reliable);
  }

  /**
   * A refresh relayed end to end succeeded: it refreshed the requester's leg with the terms
   * Provod granted, and the other leg with the terms that phone's 2xx set (RFC 4028 §7.2).
   */
  private refreshed(side: CallSide, granted: RequestedTerms | undefined, response: SipResponse) {
    if (granted?.kind === 'agreed') this.party(side).session?.renew(granted.terms);
    this.party(otherSide(side)).session?.answered(response);
  }

  private sessionHeaders(granted: RequestedTerms | undefined): [string, string][] {
    if (granted?.kind !== 'agreed') return [];
    return sessionResponseHeaders(granted.terms, granted.timer);
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

import { isDtmfError, parseSipInfoDtmf, type BridgeLegFormat, type DtmfDigit } from '@provod/media';
import {
  acceptInDialogRequest,
  createResponse,
  refreshRemoteTarget,
  SdpNegotiationError,
  SdpParseError,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { AnswerRetransmitter } from '../calls/answer-retransmitter.ts';
import type { CallParty } from '../calls/call-party.ts';
import type { SipNetwork } from '../calls/sip-network.ts';
import type { LocalSdp } from './local-sdp.ts';

export interface TerminatedDialogEvents {
  /** The phone sent BYE: it has left the call. */
  hungUp(): void;
  /** The phone's media changed: a re-INVITE or UPDATE offer (hold, resume, a new address). */
  formatChanged(format: BridgeLegFormat): void;
  /** A key pressed and sent as SIP INFO (application/dtmf-relay or application/dtmf). */
  digit(digit: DtmfDigit): void;
}

/** Requests a phone may send that mean nothing to Provod's media end but deserve a 200. */
const ACKNOWLEDGED_ONLY = new Set(['OPTIONS', 'NOTIFY', 'MESSAGE']);

/**
 * An established dialog whose other end is Provod itself — not relayed anywhere, unlike a
 * bridged call's (calls/in-dialog-relay.ts): the caller of a routed call, or a phone the
 * call rang and bridged on Provod's media. Re-INVITE and UPDATE offers are answered from
 * the leg's own SDP (RFC 3264 §8, hold included), an offerless re-INVITE gets Provod's
 * offer and its ACK the answer; INFO keys become digits; BYE ends the leg. Transfers
 * (REFER) come with the PBX's transfer features: until then 501, a clear "not here".
 */
export class TerminatedDialog {
  private answer: AnswerRetransmitter | undefined;
  /** A 2xx to an offerless re-INVITE carried Provod's offer: its ACK holds the answer. */
  private awaitingAnswerInAck = false;

  constructor(
    readonly party: CallParty,
    private readonly sdp: LocalSdp,
    private readonly network: SipNetwork,
    private readonly events: TerminatedDialogEvents,
  ) {}

  request(request: SipRequest, respond: (response: SipResponse) => void): void {
    const check = acceptInDialogRequest(this.party.dialog, request);
    if (check.kind === 'out_of_order') {
      respond(
        createResponse(request, 500, { reason: 'Server Internal Error (CSeq out of order)' }),
      );
      return;
    }
    this.party.dialog = check.dialog;
    switch (request.method) {
      case 'BYE':
        respond(createResponse(request, 200));
        this.stop();
        this.events.hungUp();
        return;
      case 'INVITE':
      case 'UPDATE':
        this.offer(request, respond);
        return;
      case 'INFO':
        this.info(request, respond);
        return;
      default:
        respond(createResponse(request, ACKNOWLEDGED_ONLY.has(request.method) ? 200 : 501));
    }
  }

  /** The ACK for Provod's 2xx to a re-INVITE; it carries the answer to an offer in that 2xx. */
  acknowledged(ack: SipRequest): void {
    this.answer?.stop();
    this.answer = undefined;
    if (!this.awaitingAnswerInAck || ack.body.length === 0) return;
    this.awaitingAnswerInAck = false;
    try {
      this.events.formatChanged(this.sdp.answered(ack.body));
    } catch (error) {
      // An ACK cannot be refused (§17.1.1.3): a broken answer leaves the media as it was.
      if (!(error instanceof SdpParseError) && !(error instanceof SdpNegotiationError)) throw error;
    }
  }

  /** Provod's offer went out in a 2xx: the ACK that comes brings the answer. */
  expectAnswerInAck(): void {
    this.awaitingAnswerInAck = true;
  }

  /** Provod ends the dialog: BYE, and no more 2xx retransmissions. */
  hangUp(): void {
    this.stop();
    this.party.hangUp();
  }

  stop(): void {
    this.answer?.stop();
    this.answer = undefined;
  }

  private offer(request: SipRequest, respond: (response: SipResponse) => void): void {
    this.party.dialog = refreshRemoteTarget(this.party.dialog, request);
    const ok = createResponse(request, 200, { headers: [['Contact', this.party.contactHeader]] });
    let body: Buffer;
    if (request.body.length === 0) {
      // An UPDATE without SDP only refreshes the session (RFC 4028 §9); a re-INVITE
      // without one asks for Provod's offer (RFC 3261 §14.2).
      if (request.method === 'UPDATE') {
        respond(ok);
        return;
      }
      body = this.sdp.offer();
      this.expectAnswerInAck();
    } else {
      try {
        const settled = this.sdp.answer(request.body);
        body = settled.body;
        this.events.formatChanged(settled.format);
      } catch (error) {
        if (!(error instanceof SdpParseError) && !(error instanceof SdpNegotiationError)) {
          throw error;
        }
        respond(createResponse(request, 488, { reason: `Not Acceptable Here (${error.message})` }));
        return;
      }
    }
    ok.headers.append('Content-Type', 'application/sdp');
    const response = { ...ok, body };
    respond(response);
    if (request.method !== 'INVITE') return;
    // §13.3.1.4: the 2xx to a re-INVITE is resent until its ACK comes.
    this.answer?.stop();
    this.answer = new AnswerRetransmitter(this.network, response, this.party.destination, () => {
      this.answer = undefined;
    });
    this.answer.start(this.party.reliable);
  }

  private info(request: SipRequest, respond: (response: SipResponse) => void): void {
    const type = request.headers.get('content-type');
    if (type === undefined || request.body.length === 0) {
      respond(createResponse(request, 200));
      return;
    }
    try {
      const dtmf = parseSipInfoDtmf(type, request.body.toString('utf8'));
      respond(createResponse(request, 200));
      this.events.digit(dtmf.digit);
    } catch (error) {
      if (!isDtmfError(error)) throw error;
      // RFC 6086 §4.2.2: a body type the UA does not take is 415; a broken DTMF body, 400.
      const status = error.code === 'unsupported_content_type' ? 415 : 400;
      respond(
        createResponse(request, status, {
          reason: `${status === 415 ? 'Unsupported Media Type' : 'Bad Request'} (${error.message})`,
        }),
      );
    }
  }
}

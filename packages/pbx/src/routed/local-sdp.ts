import { randomInt } from 'node:crypto';
import type { BridgeLegFormat } from '@provod/media';
import {
  createAnswer,
  createOffer,
  negotiatedAudio,
  parseSdp,
  PCMA,
  PCMU,
  serializeSdp,
  TELEPHONE_EVENT,
  type MediaDirection,
  type SdpLocalSession,
  type SessionDescription,
} from '@provod/sip';
import { legFormatOf } from '../calls/leg-format.ts';

/** What Provod's own media end takes: G.711 both ways (the leg transcodes) and RFC 4733 keys. */
const codecs = [PCMU, PCMA, TELEPHONE_EVENT];

/** An SDP body and the leg format it settles, once both offer and answer are known. */
export interface SettledSdp {
  readonly body: Buffer;
  readonly format: BridgeLegFormat;
}

/**
 * The SDP of one dialog whose media Provod terminates (a caller Provod answers, a phone
 * Provod calls): Provod's address and the leg's RTP port, G.711 and telephone-event. It
 * keeps what it last sent, so every later offer or answer in the dialog keeps the o= line
 * and raises its version only when something changed (RFC 3264 §8). Parsing and
 * negotiation errors (SdpParseError, SdpNegotiationError) reach the caller: a 488.
 */
export class LocalSdp {
  private previous: SessionDescription | undefined;
  private pendingOffer: SessionDescription | undefined;
  private readonly sessionId = String(randomInt(1, 2 ** 47));

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  /** Provod's answer to the phone's offer (the INVITE's, a re-INVITE's, an UPDATE's). */
  answer(offerBody: Buffer, wish: MediaDirection = 'sendrecv'): SettledSdp {
    const offer = parseSdp(offerBody);
    const answer = createAnswer(offer, this.local(wish), this.previous);
    this.previous = answer;
    return {
      body: Buffer.from(serializeSdp(answer)),
      format: legFormatOf(negotiatedAudio(offer, answer, 'answerer')),
    };
  }

  /** Provod's offer: in an INVITE to a phone, or a 2xx to an INVITE that had none. */
  offer(wish: MediaDirection = 'sendrecv'): Buffer {
    const offer = createOffer(this.local(wish), this.previous);
    this.previous = offer;
    this.pendingOffer = offer;
    return Buffer.from(serializeSdp(offer));
  }

  /** The phone's answer to Provod's last offer. */
  answered(answerBody: Buffer): BridgeLegFormat {
    const offer = this.pendingOffer;
    if (offer === undefined) throw new Error('an answer came to no offer of ours');
    this.pendingOffer = undefined;
    return legFormatOf(negotiatedAudio(offer, parseSdp(answerBody), 'offerer'));
  }

  /** The last SDP Provod sent: the body of a session refresh. */
  get lastSent(): Buffer | undefined {
    return this.previous === undefined ? undefined : Buffer.from(serializeSdp(this.previous));
  }

  private local(direction: MediaDirection): SdpLocalSession {
    return {
      username: 'provod',
      sessionId: this.sessionId,
      sessionVersion: 1n,
      address: this.host,
      media: [
        {
          type: 'audio',
          port: this.port,
          codecs,
          direction,
          attributes: [{ kind: 'other', name: 'ptime', value: '20' }],
        },
      ],
    };
  }
}

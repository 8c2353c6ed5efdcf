import {
  buildInDialogRequest,
  createResponse,
  type Dialog,
  type SipDestination,
  type SipRequest,
  type SipResponse,
} from '@provod/sip';
import { sessionRequestHeaders } from './session-expires.ts';
import type { SessionTimer } from './session-timer.ts';
import type { SipNetwork } from './sip-network.ts';

export type CallSide = 'caller' | 'callee';

export function otherSide(side: CallSide): CallSide {
  return side === 'caller' ? 'callee' : 'caller';
}

/**
 * One side of an established call: the dialog Provod holds with that phone and where its
 * messages go. The destination is the address the phone's messages really come from
 * (its registration flow, or the source of its INVITE), not its Contact — behind NAT the
 * Contact is a private address (RFC 3581, RFC 5626 flows).
 */
export class CallParty {
  /** The leg's RFC 4028 session timer, once the call is answered. */
  session: SessionTimer | undefined;
  /** Whether the phone listed UPDATE in its Allow: session refreshes use it then. */
  peerAllowsUpdate = false;
  /** The last SDP Provod sent this phone: the offer of a refresh re-INVITE. */
  lastSentSdp: { readonly body: Buffer; readonly contentType: string | undefined } | undefined;

  constructor(
    public dialog: Dialog,
    readonly destination: SipDestination,
    private readonly network: SipNetwork,
  ) {}

  get reliable(): boolean {
    return this.destination.transport !== 'udp';
  }

  get contactHeader(): string {
    return `<${this.network.contactUri(this.destination.transport)}>`;
  }

  /** A new request within this party's dialog, its CSeq taken from the dialog. */
  nextRequest(
    method: string,
    content?: { readonly body: Buffer; readonly contentType: string | undefined },
  ): SipRequest {
    const { dialog, request } = buildInDialogRequest(this.dialog, {
      method,
      via: this.network.via(this.destination.transport),
      contact: method === 'INVITE' || method === 'UPDATE' ? this.contactHeader : undefined,
      // RFC 4028 §7.4: every session refresh request carries the leg's Session-Expires.
      headers:
        method === 'INVITE' || method === 'UPDATE'
          ? sessionRequestHeaders(this.session?.terms)
          : undefined,
      body: content?.body,
      contentType: content?.contentType,
    });
    this.dialog = dialog;
    return request;
  }

  /** Remembers the SDP of a message on its way to this phone. */
  rememberSent(body: Buffer, message: SipRequest | SipResponse): void {
    if (body.length === 0) return;
    this.lastSentSdp = { body, contentType: message.headers.get('content-type') };
  }

  /** Sends a request within the dialog; its final response comes to `onFinal`. */
  send(request: SipRequest, onFinal: (response: SipResponse) => void): void {
    let answered = false;
    const finish = (response: SipResponse) => {
      if (answered) return;
      answered = true;
      onFinal(response);
    };
    this.network.sendRequest(request, this.destination, {
      onResponse: (response) => {
        if (response.status >= 200) finish(response);
      },
      onTimeout: () => finish(createResponse(request, 408)),
      onTransportError: () => finish(createResponse(request, 503)),
    });
  }

  /** BYE, fire and forget: the call is over whatever the phone answers (§15.1.1). */
  hangUp(): void {
    this.send(this.nextRequest('BYE'), () => undefined);
  }
}

/** A message carrying another message's body, as the B2BUA relays offers and answers. */
export function withBody<Message extends SipRequest | SipResponse>(
  message: Message,
  source: SipRequest | SipResponse,
): Message {
  if (source.body.length === 0) return message;
  const contentType = source.headers.get('content-type');
  if (contentType !== undefined) message.headers.append('Content-Type', contentType);
  return { ...message, body: source.body };
}

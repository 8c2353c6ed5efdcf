import { type SipHeaders } from './headers.ts';

/**
 * A SIP message (RFC 3261 §7): a start line, ordered header fields, and a body kept as
 * bytes — multipart and binary bodies pass through untouched; decoding them is the
 * business of the layer that understands their Content-Type.
 */
export interface SipRequest {
  readonly kind: 'request';
  /** Case-sensitive token (§7.1): INVITE, or any extension method. */
  readonly method: string;
  /** The Request-URI as received; `parseRequestUri` gives its structure. */
  readonly uri: string;
  readonly version: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export interface SipResponse {
  readonly kind: 'response';
  readonly version: string;
  readonly status: number;
  /** May be empty (RFC 4475 §3.1.1.13) and may hold any UTF-8 text (§3.1.1.12). */
  readonly reason: string;
  readonly headers: SipHeaders;
  readonly body: Buffer;
}

export type SipMessage = SipRequest | SipResponse;

export const SIP_VERSION = 'SIP/2.0';

import { vi } from 'vitest';
import {
  parseMessage,
  serializeMessage,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../message/index.ts';
import { createSystemTimers, type TransactionTimers } from './timers.ts';

/**
 * Wire bytes for the transaction tests, after RFC 3261 §24.2 (Alice calls Bob through
 * atlanta.com's proxy; here Alice talks to Bob's UA directly) and §24.1 (REGISTER).
 */
const ALICE_VIA = 'SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds8';
const DIALOG_HEADERS = [
  'To: Bob <sip:bob@biloxi.com>',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
];

function lines(...parts: string[]): Buffer {
  return Buffer.from([...parts, '', ''].join('\r\n'));
}

// RFC 3261 §24.2 F1, with the Route to Alice's proxy and the SDP body left out.
export const inviteBytes = lines(
  'INVITE sip:bob@biloxi.com SIP/2.0',
  `Via: ${ALICE_VIA}`,
  'Max-Forwards: 70',
  'Route: <sip:ss1.atlanta.example.com;lr>',
  ...DIALOG_HEADERS,
  'CSeq: 314159 INVITE',
  'Contact: <sip:alice@pc33.atlanta.com>',
  'Content-Length: 0',
);

export function responseBytes(status: string, cseq: string, toTag?: string): Buffer {
  const to =
    toTag === undefined
      ? 'To: Bob <sip:bob@biloxi.com>'
      : `To: Bob <sip:bob@biloxi.com>;tag=${toTag}`;
  return lines(
    `SIP/2.0 ${status}`,
    `Via: ${ALICE_VIA};received=192.0.2.1`,
    to,
    'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
    'Call-ID: a84b4c76e66710',
    `CSeq: ${cseq}`,
    'Content-Length: 0',
  );
}

// RFC 3261 §24.2 F11-style ACK for a 2xx: a new branch, end to end (§13.2.2.4).
export const ackFor2xxBytes = lines(
  'ACK sip:bob@192.0.2.4 SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bKnashds9',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 ACK',
  'Content-Length: 0',
);

// The ACK for a non-2xx (§17.1.1.3): the INVITE's branch, the response's To tag.
export const ackForFailureBytes = lines(
  'ACK sip:bob@biloxi.com SIP/2.0',
  `Via: ${ALICE_VIA}`,
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>;tag=a6c85cf',
  'From: Alice <sip:alice@atlanta.com>;tag=1928301774',
  'Call-ID: a84b4c76e66710',
  'CSeq: 314159 ACK',
  'Content-Length: 0',
);

// §9.1: the CANCEL shares the INVITE's branch and CSeq number.
export const cancelBytes = lines(
  'CANCEL sip:bob@biloxi.com SIP/2.0',
  `Via: ${ALICE_VIA}`,
  'Max-Forwards: 70',
  ...DIALOG_HEADERS,
  'CSeq: 314159 CANCEL',
  'Content-Length: 0',
);

// RFC 3261 §24.1 F1.
export const registerBytes = lines(
  'REGISTER sip:registrar.biloxi.com SIP/2.0',
  'Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7',
  'Max-Forwards: 70',
  'To: Bob <sip:bob@biloxi.com>',
  'From: Bob <sip:bob@biloxi.com>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:bob@192.0.2.4>',
  'Expires: 7200',
  'Content-Length: 0',
);

// RFC 3261 §24.1 F2 (the 200 OK).
export const registerOkBytes = lines(
  'SIP/2.0 200 OK',
  'Via: SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7;received=192.0.2.4',
  'To: Bob <sip:bob@biloxi.com>;tag=2493k59kd',
  'From: Bob <sip:bob@biloxi.com>;tag=456248',
  'Call-ID: 843817637684230@998sdasdh09',
  'CSeq: 1826 REGISTER',
  'Contact: <sip:bob@192.0.2.4>',
  'Expires: 7200',
  'Content-Length: 0',
);

export function request(bytes: Buffer): SipRequest {
  const message = parseMessage(bytes);
  if (message.kind !== 'request') throw new Error('fixture is not a request');
  return message;
}

export function response(bytes: Buffer): SipResponse {
  const message = parseMessage(bytes);
  if (message.kind !== 'response') throw new Error('fixture is not a response');
  return message;
}

/** A transport that records what it is given, as the bytes it would put on the wire. */
export function recordingTransport(): {
  readonly sent: SipMessage[];
  readonly send: (message: SipMessage) => void;
} {
  const sent: SipMessage[] = [];
  return { sent, send: (message) => sent.push(parseMessage(serializeMessage(message))) };
}

/** Start lines of what was sent, e.g. `INVITE sip:bob@biloxi.com` or `486`. */
export function startLines(sent: readonly SipMessage[]): string[] {
  return sent.map((message) =>
    message.kind === 'request' ? `${message.method} ${message.uri}` : String(message.status),
  );
}

/** The fake clock: vitest's timers under the system adapter. Call inside a test. */
export function fakeTimers(): TransactionTimers {
  vi.useFakeTimers();
  return createSystemTimers();
}

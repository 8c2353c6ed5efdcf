/**
 * Valid SIP messages to start a mutation fuzz from, written for these tests in the shape
 * of RFC 3261 §24's examples and of what sipp's built-in scenarios send: CRLF line ends,
 * a correct Content-Length, and the Via of the sender (`rport`, so answers come back to
 * the socket that sent them, RFC 3581 §4).
 */
export interface SeedSender {
  readonly transport: 'UDP' | 'TCP';
  /** The client's own port, for Via and Contact. */
  readonly port: number;
}

export interface SeedMessage {
  readonly name: string;
  readonly text: string;
}

const domain = 'demo.provod.local';

/** Head lines plus body, joined with CRLF and Content-Length filled in (RFC 3261 §20.14). */
export function sipMessage(head: readonly string[], body = ''): string {
  const length = Buffer.byteLength(body, 'utf8');
  return [...head, `Content-Length: ${length}`, '', body].join('\r\n');
}

/** A branch or tag made from a Call-ID: tokens may not hold `@` (RFC 3261 §25.1). */
const tokenOf = (callId: string) => callId.replace(/[^A-Za-z0-9]/g, '');

function via(sender: SeedSender, branch: string): string {
  return `Via: SIP/2.0/${sender.transport} 127.0.0.1:${sender.port};branch=z9hG4bK${branch};rport`;
}

/** An SDP offer like a desk phone's (RFC 4566, RFC 3264 §5). */
const sdpOffer = [
  'v=0',
  'o=101 53655765 2353687637 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 6000 RTP/AVP 0 8 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

/** A REGISTER from extension `user`; `callId` lets a test find the answer it expects. */
export function registerRequest(sender: SeedSender, user: string, callId: string): string {
  return sipMessage([
    `REGISTER sip:${domain} SIP/2.0`,
    via(sender, `reg${tokenOf(callId)}`),
    'Max-Forwards: 70',
    `From: <sip:${user}@${domain}>;tag=reg${tokenOf(callId)}`,
    `To: <sip:${user}@${domain}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 REGISTER',
    `Contact: <sip:${user}@127.0.0.1:${sender.port};transport=${sender.transport.toLowerCase()}>`,
    'Expires: 300',
    'User-Agent: provod-fuzz',
  ]);
}

/** An OPTIONS ping, as a phone's keep-alive sends it (RFC 3261 §11). */
export function optionsRequest(sender: SeedSender, callId: string): string {
  return sipMessage([
    `OPTIONS sip:${domain} SIP/2.0`,
    via(sender, `opt${tokenOf(callId)}`),
    'Max-Forwards: 70',
    `From: <sip:probe@${domain}>;tag=opt${tokenOf(callId)}`,
    `To: <sip:${domain}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:probe@127.0.0.1:${sender.port}>`,
    'Accept: application/sdp',
  ]);
}

/** The seeds; every one parses and gets an answer (or, for the response, is dropped). */
export function seedMessages(sender: SeedSender): SeedMessage[] {
  const dialog = [
    'Max-Forwards: 70',
    `From: "Alice" <sip:101@${domain}>;tag=1928301774`,
    `To: <sip:102@${domain}>;tag=a6c85cf`,
    'Call-ID: a84b4c76e66710@127.0.0.1',
  ];
  return [
    { name: 'REGISTER', text: registerRequest(sender, '101', 'seed-register@127.0.0.1') },
    {
      name: 'REGISTER with Authorization',
      text: sipMessage([
        `REGISTER sip:${domain} SIP/2.0`,
        via(sender, 'regauth2'),
        'Max-Forwards: 70',
        `From: <sip:101@${domain}>;tag=49583`,
        `To: <sip:101@${domain}>`,
        'Call-ID: seed-register-auth@127.0.0.1',
        'CSeq: 2 REGISTER',
        `Contact: <sip:101@127.0.0.1:${sender.port}>;expires=3600`,
        `Authorization: Digest username="101", realm="${domain}", ` +
          'nonce="ea9c8e88df84f1cec4341ae6cbe5a359", uri="sip:demo.provod.local", ' +
          'response="dfe56131d1958046689d83306477ecc", algorithm=MD5, qop=auth, ' +
          'nc=00000001, cnonce="0a4f113b", opaque=""',
        'User-Agent: provod-fuzz',
      ]),
    },
    {
      name: 'INVITE with SDP',
      text: sipMessage(
        [
          `INVITE sip:102@${domain} SIP/2.0`,
          via(sender, 'inv776asdhds'),
          'Max-Forwards: 70',
          `From: "Alice" <sip:101@${domain}>;tag=1928301774`,
          `To: <sip:102@${domain}>`,
          'Call-ID: a84b4c76e66710@127.0.0.1',
          'CSeq: 314159 INVITE',
          `Contact: <sip:101@127.0.0.1:${sender.port}>`,
          'Content-Type: application/sdp',
          'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE',
          'Subject: fuzz',
        ],
        sdpOffer,
      ),
    },
    { name: 'OPTIONS', text: optionsRequest(sender, 'seed-options@127.0.0.1') },
    {
      name: 'BYE',
      text: sipMessage([
        `BYE sip:102@${domain} SIP/2.0`,
        via(sender, 'bye1'),
        ...dialog,
        'CSeq: 231 BYE',
      ]),
    },
    {
      name: 'CANCEL',
      text: sipMessage([
        `CANCEL sip:102@${domain} SIP/2.0`,
        via(sender, 'inv776asdhds'),
        'Max-Forwards: 70',
        `From: "Alice" <sip:101@${domain}>;tag=1928301774`,
        `To: <sip:102@${domain}>`,
        'Call-ID: a84b4c76e66710@127.0.0.1',
        'CSeq: 314159 CANCEL',
      ]),
    },
    {
      name: 'ACK',
      text: sipMessage([
        `ACK sip:102@${domain} SIP/2.0`,
        via(sender, 'ack1'),
        ...dialog,
        'CSeq: 314159 ACK',
      ]),
    },
    {
      name: '200 response',
      text: sipMessage([
        'SIP/2.0 200 OK',
        `Via: SIP/2.0/${sender.transport} 127.0.0.1:${sender.port};branch=z9hG4bKnashds7;received=127.0.0.1`,
        `From: <sip:101@${domain}>;tag=456248`,
        `To: <sip:101@${domain}>;tag=2493k59kd`,
        'Call-ID: 843817637684230@998sdasdh09',
        'CSeq: 1826 REGISTER',
        `Contact: <sip:101@127.0.0.1:${sender.port}>;expires=7200`,
      ]),
    },
  ];
}

/**
 * sipp scenarios for calls through Provod: a UAC that authenticates its INVITE with
 * digest (407 → ACK → INVITE with Proxy-Authorization) and a UAS that plays the callee's
 * phone. Message indexes matter: `[branch-N]` repeats the branch of the message N places
 * earlier in the scenario (receives count too), which the ACK for a non-2xx and the
 * CANCEL need (RFC 3261 §17.1.1.3, §9.1).
 */

export const scenario = (
  name: string,
  body: string,
) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="${name}">
${body}
</scenario>`;

export const sdp = `v=0
        o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
        s=-
        c=IN IP[media_ip_type] [media_ip]
        t=0 0
        m=audio [media_port] RTP/AVP 0 8
        a=rtpmap:0 PCMU/8000
        a=rtpmap:8 PCMA/8000`;

interface CallAddress {
  readonly caller: string;
  readonly callee: string;
  readonly domain: string;
}

/** sipp's own uac_pcma offer: A-law and RFC 4733 events (`sipp -sd uac_pcap`). */
const pcmaSdp = `v=0
        o=sipp 53655765 2353687637 IN IP[local_ip_type] [local_ip]
        s=-
        c=IN IP[media_ip_type] [media_ip]
        t=0 0
        m=audio [media_port] RTP/AVP 8 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-11,16`;

function invite(
  address: CallAddress,
  cseq: number,
  branch: string,
  auth: boolean,
  body = sdp,
): string {
  return `
  <send retrans="500">
    <![CDATA[
        INVITE sip:${address.callee}@${address.domain} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=${branch};rport
        From: "Caller ${address.caller}" <sip:${address.caller}@${address.domain}>;tag=[pid]SIPpTag00[call_number]
        To: <sip:${address.callee}@${address.domain}>
        Call-ID: [call_id]
        CSeq: ${cseq} INVITE
        Contact: <sip:${address.caller}@[local_ip]:[local_port];transport=[transport]>${auth ? '\n        [authentication]' : ''}
        Max-Forwards: 70
        User-Agent: sipp-uac
        Content-Type: application/sdp
        Content-Length: [len]

        ${body}
    ]]>
  </send>`;
}

/** ACK for a non-2xx final response: the INVITE's branch and Request-URI (§17.1.1.3). */
function hopAck(address: CallAddress, cseq: number, branch: string): string {
  return `
  <send>
    <![CDATA[
        ACK sip:${address.callee}@${address.domain} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=${branch};rport
        From: "Caller ${address.caller}" <sip:${address.caller}@${address.domain}>;tag=[pid]SIPpTag00[call_number]
        [last_To:]
        Call-ID: [call_id]
        CSeq: ${cseq} ACK
        Max-Forwards: 70
        Content-Length: 0
    ]]>
  </send>`;
}

function inDialog(address: CallAddress, method: string, cseq: number): string {
  return `
  <send${method === 'ACK' ? '' : ' retrans="500"'}>
    <![CDATA[
        ${method} [next_url] SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: "Caller ${address.caller}" <sip:${address.caller}@${address.domain}>;tag=[pid]SIPpTag00[call_number]
        To: <sip:${address.callee}@${address.domain}>[peer_tag_param]
        Call-ID: [call_id]
        CSeq: ${cseq} ${method}
        [routes]
        Max-Forwards: 70
        Content-Length: 0
    ]]>
  </send>`;
}

// Indexes: 0 INVITE, 1 100?, 2 407, 3 ACK, 4 INVITE (auth) — the authenticated INVITE
// is the message every later [branch-N] points back to.
const authenticatedInvite = (address: CallAddress, body = sdp) => `
  ${invite(address, 1, '[branch]', false, body)}
  <recv response="100" optional="true"/>
  <recv response="407" auth="true"/>
  ${hopAck(address, 1, '[branch-3]')}
  ${invite(address, 2, '[branch]', true, body)}`;

/**
 * Calls, is answered, talks for `talkMs`, hangs up. The 180 may come at any point: a
 * proxy relaying the callee's 180 and 200 from different workers (Kamailio in the
 * benchmark) can deliver the 180 after the 200 over UDP.
 */
export function uacAnsweredCall(address: CallAddress, talkMs = 500): string {
  return scenario(
    'uac: authenticated call, answered, caller hangs up',
    `${authenticatedInvite(address)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="global"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  ${inDialog(address, 'ACK', 2)}
  <pause milliseconds="${talkMs}"/>
  ${inDialog(address, 'BYE', 3)}
  <recv response="200" crlf="true"/>`,
  );
}

/**
 * sipp's uac_pcma call with real RTP: offers PCMA + telephone-event, and once answered
 * plays `pcap` (RTP captured on a wire) to the answer's media address, waits `playMs`
 * for it to finish, hangs up.
 */
export function uacPcapCall(address: CallAddress, pcap: string, playMs: number): string {
  return scenario(
    'uac: authenticated PCMA call playing a pcap',
    `${authenticatedInvite(address, pcmaSdp)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="global"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  ${inDialog(address, 'ACK', 2)}
  <nop>
    <action>
      <exec play_pcap_audio="${pcap}"/>
    </action>
  </nop>
  <pause milliseconds="${playMs}"/>
  ${inDialog(address, 'BYE', 3)}
  <recv response="200" crlf="true"/>`,
  );
}

/** Calls and expects the call to fail with `status`, which it acknowledges. */
export function uacFailedCall(address: CallAddress, status: number): string {
  return scenario(
    `uac: authenticated call refused with ${status}`,
    `${authenticatedInvite(address)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="${status}"/>
  ${hopAck(address, 2, '[branch-4]')}`,
  );
}

/** Calls, hears ringing, cancels before an answer: 200 to the CANCEL, 487 to the INVITE. */
export function uacCancelledCall(address: CallAddress): string {
  // Indexes after the authenticated INVITE (4): 5 100?, 6 180, 7 CANCEL, 8 200, 9 487, 10 ACK.
  return scenario(
    'uac: authenticated call cancelled while ringing',
    `${authenticatedInvite(address)}
  <recv response="100" optional="true"/>
  <recv response="180"/>
  <send>
    <![CDATA[
        CANCEL sip:${address.callee}@${address.domain} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-3];rport
        From: "Caller ${address.caller}" <sip:${address.caller}@${address.domain}>;tag=[pid]SIPpTag00[call_number]
        To: <sip:${address.callee}@${address.domain}>
        Call-ID: [call_id]
        CSeq: 2 CANCEL
        Max-Forwards: 70
        Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
  <recv response="487"/>
  ${hopAck(address, 2, '[branch-6]')}`,
  );
}

// RFC 3261 §12.1.1: a UAS copies the Record-Route of the request into its responses, so
// a proxy in between (Kamailio in the benchmark) stays in the dialog's path. sipp drops
// the line when the request had none (a B2BUA such as Provod does not record-route).
export const uasReply = (status: string, extra = '', body = '') => `
  <send${status.startsWith('200') ? ' retrans="500"' : ''}>
    <![CDATA[
        SIP/2.0 ${status}
        [last_Via:]
        [last_Record-Route:]
        [last_From:]
        [last_To:];tag=[pid]SIPpTag01[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        Contact: <sip:callee@[local_ip]:[local_port];transport=[transport]>${extra}
        Content-Length: ${body === '' ? '0' : '[len]'}
${body === '' ? '' : `\n        ${body}`}
    ]]>
  </send>`;

/** After answering: the caller's ACK, then its BYE, answered 200. */
export const talkUntilBye = `<recv request="ACK" crlf="true"/>
  <recv request="BYE"/>
  <send>
    <![CDATA[
        SIP/2.0 200 OK
        [last_Via:]
        [last_From:]
        [last_To:]
        [last_Call-ID:]
        [last_CSeq:]
        Content-Length: 0
    ]]>
  </send>`;

/**
 * The callee's phone: rings, answers with SDP, waits for the ACK and the caller's BYE.
 * `codecs: 'pcma'` answers as sipp's uac_pcma offers (A-law and telephone-event).
 */
export function uasAnswers(codecs: 'g711' | 'pcma' = 'g711'): string {
  return scenario(
    'uas: ring, answer, caller hangs up',
    `
  <recv request="INVITE" crlf="true"/>
  ${uasReply('180 Ringing')}
  ${uasReply('200 OK', '\n        Content-Type: application/sdp', codecs === 'pcma' ? pcmaSdp : sdp)}
  ${talkUntilBye}`,
  );
}

/** The callee's phone is busy: 486 at once. */
export function uasBusy(): string {
  return scenario(
    'uas: busy',
    `
  <recv request="INVITE" crlf="true"/>
  ${uasReply('486 Busy Here')}
  <recv request="ACK"/>`,
  );
}

/** The callee's phone rings until the CANCEL: 200 to it, 487 to the INVITE, then the ACK. */
export function uasCancelled(): string {
  return scenario(
    'uas: ringing, cancelled',
    `
  <recv request="INVITE" crlf="true"/>
  ${uasReply('180 Ringing')}
  <recv request="CANCEL"/>
  <send>
    <![CDATA[
        SIP/2.0 200 OK
        [last_Via:]
        [last_From:]
        [last_To:]
        [last_Call-ID:]
        [last_CSeq:]
        Content-Length: 0
    ]]>
  </send>
  <send>
    <![CDATA[
        SIP/2.0 487 Request Terminated
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]SIPpTag01[call_number]
        [last_Call-ID:]
        CSeq: 1 INVITE
        Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>`,
  );
}

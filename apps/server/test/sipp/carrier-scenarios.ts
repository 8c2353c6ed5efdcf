import { scenario, sdp, talkUntilBye, uasReply } from './call-scenarios.ts';

/**
 * sipp as a carrier delivering a call to one of the tenants' numbers: no digest (carriers
 * are trusted by address, as a trunk's host), the Request-URI the E.164 number at
 * Provod's address. The offer is PCMA, PCMU and RFC 4733 events at payload type 101, the type
 * Debian's sip-tester captures of DTMF use (/usr/share/sip-tester/dtmf_2833_*.pcap).
 */
export interface CarrierCall {
  readonly from: string;
  readonly number: string;
  /** Provod's SIP address, host:port. */
  readonly provod: string;
  /** Keys to press once answered, each a sip-tester capture: ['1'] plays dtmf_2833_1.pcap. */
  readonly keys: readonly string[];
  /** Listening to the menu before the keys. */
  readonly listenMs: number;
  /** After the keys, before hanging up (ringing and talking to whoever answers). */
  readonly afterKeysMs: number;
  /** RTP captured on a wire, played 500 ms after the keys (the talk once bridged). */
  readonly talkPcap?: string;
}

const carrierSdp = `v=0
        o=carrier 1 1 IN IP[local_ip_type] [local_ip]
        s=-
        c=IN IP[media_ip_type] [media_ip]
        t=0 0
        m=audio [media_port] RTP/AVP 8 0 101
        a=rtpmap:8 PCMA/8000
        a=rtpmap:0 PCMU/8000
        a=rtpmap:101 telephone-event/8000
        a=fmtp:101 0-15`;

function request(call: CarrierCall, method: string, cseq: number, withSdp: boolean): string {
  const inDialog = method !== 'INVITE';
  return `
  <send${method === 'ACK' ? '' : ' retrans="500"'}>
    <![CDATA[
        ${method} ${inDialog ? '[next_url]' : `sip:${call.number}@${call.provod}`} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: <sip:${call.from}@carrier.example>;tag=[pid]SIPpTag00[call_number]
        To: <sip:${call.number}@${call.provod}>${inDialog ? '[peer_tag_param]' : ''}
        Call-ID: [call_id]
        CSeq: ${cseq} ${method}
        Contact: <sip:${call.from}@[local_ip]:[local_port]>${inDialog ? '\n        [routes]' : ''}
        Max-Forwards: 70
        User-Agent: sipp-carrier${withSdp ? '\n        Content-Type: application/sdp' : ''}
        Content-Length: [len]
${withSdp ? `\n        ${carrierSdp}` : ''}
    ]]>
  </send>`;
}

/** Calls the number, is answered by the scheme, listens, presses keys, waits, hangs up. */
export function carrierCallPressingKeys(call: CarrierCall): string {
  const keys = call.keys
    .map(
      (key) => `
  <nop>
    <action>
      <exec play_pcap_audio="/usr/share/sip-tester/dtmf_2833_${key === '#' ? 'pound' : key === '*' ? 'star' : key}.pcap"/>
    </action>
  </nop>
  <pause milliseconds="400"/>`,
    )
    .join('');
  return scenario(
    'carrier: a call to a number, keys pressed in the menu',
    `${request(call, 'INVITE', 1, true)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  ${request(call, 'ACK', 1, false)}
  <pause milliseconds="${call.listenMs}"/>
  ${keys}${
    call.talkPcap === undefined
      ? ''
      : `
  <pause milliseconds="500"/>
  <nop>
    <action>
      <exec play_pcap_audio="${call.talkPcap}"/>
    </action>
  </nop>`
  }
  <pause milliseconds="${call.afterKeysMs}"/>
  ${request(call, 'BYE', 2, false)}
  <recv response="200" crlf="true"/>`,
  );
}

/** The account a trunk test's carrier expects, as the trunk in Provod is configured. */
export const carrierAccount = { username: 'provod-trunk', password: 'trunk-secret' };

/**
 * sipp as a carrier taking a call from Provod's trunk: a 401 challenge (RFC 2069 digest,
 * MD5), the INVITE again with Authorization checked by sipp's verifyauth (which reads
 * Authorization, not Proxy-Authorization) — 403 for wrong credentials — then ringing,
 * the answer, and the caller's BYE. With `expectedCaller` (E.164 with '+'), the call fails
 * unless the From user is that number.
 */
export function carrierTakesAuthenticatedCall(expectedCaller?: string): string {
  // sipp's ereg with check_it fails the scenario when the caller ID is not the one expected.
  const callerCheck =
    expectedCaller === undefined
      ? ''
      : `
      <ereg regexp="sip:\\${expectedCaller}@" search_in="hdr" header="From:" check_it="true" assign_to="from"/>`;
  return scenario(
    'carrier: challenge, verify, answer',
    `
  <recv request="INVITE" crlf="true"/>
  <send>
    <![CDATA[
        SIP/2.0 401 Unauthorized
        [last_Via:]
        [last_From:]
        [last_To:];tag=[pid]SIPpTag01[call_number]
        [last_Call-ID:]
        [last_CSeq:]
        WWW-Authenticate: Digest realm="carrier.example", nonce="7a1f0c3e5b9d2468", algorithm=MD5
        Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>
  <recv request="INVITE" crlf="true">
    <action>
      <verifyauth assign_to="authvalid" username="${carrierAccount.username}" password="${carrierAccount.password}"/>${callerCheck}
    </action>
  </recv>
  <nop hide="true" test="authvalid" next="goodauth"/>
  ${uasReply('403 Forbidden')}
  <recv request="ACK" next="done"/>
  <label id="goodauth"/>
  ${uasReply('180 Ringing')}
  ${uasReply('200 OK', '\n        Content-Type: application/sdp', sdp)}
  ${talkUntilBye}
  <label id="done"/>${expectedCaller === undefined ? '' : '\n  <Reference variables="from"/>'}`,
  );
}

/** A carrier whose trunk is broken: 503 to every INVITE (Provod should try the next trunk). */
export function carrierUnavailable(): string {
  return scenario(
    'carrier: 503',
    `
  <recv request="INVITE" crlf="true"/>
  ${uasReply('503 Service Unavailable')}
  <recv request="ACK"/>`,
  );
}

/** Calls the number, is answered, and waits for Provod to hang up (a message, then BYE). */
export function carrierCallEndedByProvod(
  call: Omit<CarrierCall, 'keys' | 'listenMs' | 'afterKeysMs'>,
): string {
  const full = { ...call, keys: [], listenMs: 0, afterKeysMs: 0 };
  return scenario(
    'carrier: a call the scheme ends',
    `${request(full, 'INVITE', 1, true)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  ${request(full, 'ACK', 1, false)}
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
  </send>`,
  );
}

/** One REGISTER challenged (401) and then accepted once sipp's verifyauth passes. */
function challengedRegistration(round: number, grantSeconds: number): string {
  return `
  <recv request="REGISTER" crlf="true"/>
  <send>
    <![CDATA[
        SIP/2.0 401 Unauthorized
        [last_Via:]
        [last_From:]
        [last_To:];tag=reg${round}
        [last_Call-ID:]
        [last_CSeq:]
        WWW-Authenticate: Digest realm="carrier.example", nonce="reg${round}nonce", algorithm=MD5
        Content-Length: 0
    ]]>
  </send>
  <recv request="REGISTER" crlf="true">
    <action>
      <verifyauth assign_to="valid${round}" username="${carrierAccount.username}" password="${carrierAccount.password}"/>
    </action>
  </recv>
  <nop hide="true" test="valid${round}" next="accept${round}"/>
  ${uasReply('403 Forbidden')}
  <recv request="REGISTER" timeout="1"/>
  <label id="accept${round}"/>
  <send>
    <![CDATA[
        SIP/2.0 200 OK
        [last_Via:]
        [last_From:]
        [last_To:];tag=reg${round}
        [last_Call-ID:]
        [last_CSeq:]
        [last_Contact:];expires=${grantSeconds}
        Content-Length: 0
    ]]>
  </send>`;
}

/**
 * sipp as the provider's registrar: challenges every REGISTER, accepts the right
 * credentials for `grantSeconds` (shorter than asked), so Provod refreshes in half of it —
 * the second round proves the refresh.
 */
export function providerRegistrar(grantSeconds: number): string {
  return scenario(
    'provider: registrar with digest',
    `${challengedRegistration(1, grantSeconds)}
  ${challengedRegistration(2, grantSeconds)}`,
  );
}

/** Calls the number and expects to be refused with `status`, which it acknowledges. */
export function carrierCallRefused(
  call: Omit<CarrierCall, 'keys' | 'listenMs' | 'afterKeysMs'>,
  status: number,
): string {
  const full = { ...call, keys: [], listenMs: 0, afterKeysMs: 0 };
  // Message indexes: 0 INVITE, 1 100, 2 180, 3 the refusal — so the ACK (§17.1.1.3: the
  // INVITE's branch) reuses [branch-4].
  return scenario(
    `carrier: refused with ${status}`,
    `${request(full, 'INVITE', 1, true)}
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="${status}"/>
  <send>
    <![CDATA[
        ACK sip:${call.number}@${call.provod} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-4];rport
        From: <sip:${call.from}@carrier.example>;tag=[pid]SIPpTag00[call_number]
        [last_To:]
        Call-ID: [call_id]
        CSeq: 1 ACK
        Max-Forwards: 70
        Content-Length: 0
    ]]>
  </send>`,
  );
}

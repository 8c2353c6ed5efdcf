/**
 * A REGISTER scenario for sipp: send, take the 401 challenge, answer it, expect `final`.
 * `authentication` is sipp's keyword for the credentials: `[authentication]` takes them
 * from `-au`/`-ap`; the benchmark passes `[authentication username="[field0]" …]` to take
 * them from an injection file (sipp reads the quoted fields as messages of their own).
 */
export function registerScenario(
  user: string,
  domain: string,
  final: number,
  authentication = '[authentication]',
): string {
  const request = (cseq: number, auth: boolean) => `
    <send retrans="500">
      <![CDATA[
        REGISTER sip:${domain} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: <sip:${user}@${domain}>;tag=[pid]SIPpTag00[call_number]
        To: <sip:${user}@${domain}>
        Call-ID: [call_id]
        CSeq: ${cseq} REGISTER
        Contact: <sip:${user}@[local_ip]:[local_port];transport=[transport]>${auth ? `\n        ${authentication}` : ''}
        Max-Forwards: 70
        Expires: 300
        User-Agent: sipp-e2e
        Content-Length: 0
      ]]>
    </send>`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="register with digest">
  ${request(1, false)}
  <recv response="401" auth="true"/>
  ${request(2, true)}
  <recv response="${final}"/>
</scenario>`;
}

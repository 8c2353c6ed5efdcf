import { readFileSync } from 'node:fs';
import type { CallSummary } from '@provod/pbx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { uacPcapCall, uasAnswers } from '../sipp/call-scenarios.ts';
import { runSipp, startSipp } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';
/** RTP captured on a wire, shipped with Debian's sip-tester: G.711 A-law, payload type 8. */
const pcap = '/usr/share/sip-tester/g711a.pcap';

/** Records in a classic libpcap file (tcpdump's pcap-savefile(5): 24-byte header, 16 per record). */
function pcapRecords(path: string): number {
  const file = readFileSync(path);
  let count = 0;
  for (let offset = 24; offset + 16 <= file.length; count++) {
    offset += 16 + file.readUInt32LE(offset + 8);
  }
  return count;
}

/**
 * The media engine's first test with real peers (issue 4): sipp as 101 makes sipp's
 * uac_pcma call — real RTP played from a capture — to 102 (a second sipp), and Provod
 * anchors the media: the RTP reaches Provod's caller-facing session and leaves through
 * the callee-facing one. The call's end summary carries both legs' statistics.
 */
describe('RTP through Provod’s relay, driven by sipp', () => {
  let provod: ProvodUnderTest;

  beforeEach(async () => {
    provod = await startProvodUnderTest('sipp-media');
  });
  afterEach(() => provod.stop());

  const sipp = () => sippSession(provod, domain);

  it('relays a PCMA call’s packets in order with loss 0 from caller to callee', async () => {
    const ended: CallSummary[] = [];
    const unsubscribe = provod.server.sip.onCallEnded((summary) => ended.push(summary));
    const uasPort = await freePort();
    await sipp().register('102', uasPort);
    const uas = startSipp(
      [
        '-sf',
        sipp().scenario('uas', uasAnswers('pcma')),
        '-mp',
        String(await freePort()),
        ...sipp().args(uasPort, 'uas'),
      ],
      40_000,
    );
    const uac = await runSipp(
      [
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        sipp().scenario('uac', uacPcapCall({ caller: '101', callee: '102', domain }, pcap, 8_000)),
        '-au',
        '101',
        '-ap',
        provod.sipPasswordOf('101'),
        '-mp',
        String(await freePort()),
        ...sipp().args(await freePort(), 'uac'),
      ],
      40_000,
    );
    if (uac.code !== 0) uas.child.kill('SIGKILL');
    const callee = await uas.done;
    unsubscribe();
    expect(uac.code, uac.output).toBe(0);
    expect(callee.code, callee.output).toBe(0);

    expect(ended).toHaveLength(1);
    const media = ended[0]?.media;
    if (media === undefined) throw new Error('the call was not anchored');
    // The first packet of a source is on probation (RFC 3550 A.1): the rest are counted.
    const played = pcapRecords(pcap);
    expect(media.caller.rtp.received).toMatchObject({ packets: played - 1, lost: 0 });
    expect(media.caller.rtp.received.expected).toBe(played - 1);
    expect(media.caller.reordered).toBe(0);
    expect(media.caller.relayed).toBe(played - 1);
    expect(media.caller.rtp.latched).toBe(true);
    expect(media.callee.rtp.sent.packets).toBe(played - 1);
    expect(media.callee.sendFailures).toBe(0);
    expect(provod.server.sip.activeCalls).toBe(0);
  }, 60_000);
});

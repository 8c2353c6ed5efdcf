import { readFileSync } from 'node:fs';
import { parseWav } from '@provod/media';
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

  /** sipp 101 calls sipp 102 playing the capture; resolves with the calls' end summaries. */
  async function pcmaCall(): Promise<CallSummary[]> {
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
    expect(uac.code, uac.output).toBe(0);
    expect(callee.code, callee.output).toBe(0);
    for (let attempt = 0; attempt < 50 && ended.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    unsubscribe();
    return ended;
  }

  it('relays a PCMA call’s packets in order with loss 0 from caller to callee', async () => {
    const ended = await pcmaCall();
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
    expect(ended[0]?.recording).toBeUndefined();
  }, 60_000);

  it('records the call in stereo when the callee’s policy says always', async () => {
    const extensions = await provod.api<{ id: string; number: string }[]>(
      'GET',
      '/api/v1/extensions',
    );
    const callee = extensions.find((extension) => extension.number === '102');
    await provod.api('PATCH', `/api/v1/extensions/${callee?.id ?? ''}`, { recording: 'always' });
    const [summary] = await pcmaCall();
    expect(summary?.recording?.storagePath).toMatch(/^recordings\/.+\.wav$/);
    let call: { id: string; recordingIds: string[] } | undefined;
    for (let attempt = 0; attempt < 50 && (call?.recordingIds.length ?? 0) === 0; attempt++) {
      call = (await provod.calls())[0];
      if ((call?.recordingIds.length ?? 0) === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(call?.recordingIds).toHaveLength(1);
    const wav = parseWav(
      await provod.download(`/api/v1/recordings/${call?.recordingIds[0] ?? ''}/content`),
    );
    expect(wav).toMatchObject({ channels: 2, sampleRate: 8000 });
    const seconds = wav.samples.length / 2 / 8000;
    // From the answer to the BYE: the 8 s the caller talks, give or take the set-up.
    expect(seconds).toBeGreaterThan(6);
    expect(seconds).toBeLessThan(10);
    const energy = (channel: 0 | 1) =>
      wav.samples.reduce((sum, sample, i) => (i % 2 === channel ? sum + Math.abs(sample) : sum), 0);
    // The caller (left) played speech from the capture; the callee (right) sent nothing.
    // (mean |sample| of speech at a phone's level is in the hundreds to thousands).
    expect(energy(0) / (wav.samples.length / 2)).toBeGreaterThan(300);
    expect(energy(1)).toBe(0);
  }, 60_000);
});

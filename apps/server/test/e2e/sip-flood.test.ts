import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

function options(port: number, branch: string): string {
  return [
    'OPTIONS sip:demo.provod.local SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${branch};rport`,
    'Max-Forwards: 70',
    'To: <sip:demo.provod.local>',
    'From: <sip:probe@demo.provod.local>;tag=flood',
    `Call-ID: ${branch}@flood`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

async function bound(address: string): Promise<{ socket: Socket; replies: string[] }> {
  const socket = createSocket('udp4');
  const replies: string[] = [];
  socket.on('message', (data) => replies.push(data.toString()));
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { socket, replies };
}

/** One source's flood is refused with 503 before it costs anything; other sources go on. */
describe('SIP request flood from one address', () => {
  let provod: ProvodUnderTest | undefined;
  afterEach(async () => {
    await provod?.stop();
    provod = undefined;
  });

  it('answers a flooding source 503 with Retry-After and keeps serving another', async () => {
    provod = await startProvodUnderTest('flood', undefined, (config) => ({
      ...config,
      sip: { ...config.sip, requestsPerSecondPerSource: 5 },
    }));
    const sipPort = provod.sipPort;
    // Loopback is 127.0.0.0/8: a second address is a second source.
    const flooder = await bound('127.0.0.1');
    const neighbour = await bound('127.0.0.2');
    try {
      const flooderPort = flooder.socket.address().port;
      for (let i = 0; i < 40; i++) {
        flooder.socket.send(options(flooderPort, `f${i}`), sipPort, '127.0.0.1');
      }
      neighbour.socket.send(options(neighbour.socket.address().port, 'n1'), sipPort, '127.0.0.1');
      for (
        let i = 0;
        i < 100 && (flooder.replies.length < 40 || neighbour.replies.length < 1);
        i++
      ) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      flooder.socket.close();
      neighbour.socket.close();
    }
    const status = (reply: string) => reply.split('\r\n')[0];
    const ok = flooder.replies.filter((r) => status(r) === 'SIP/2.0 200 OK');
    const refused = flooder.replies.filter((r) => status(r)?.startsWith('SIP/2.0 503'));
    // The burst is twice the rate: about 10 pass, the rest are refused.
    expect(ok.length).toBeGreaterThanOrEqual(10);
    expect(ok.length).toBeLessThan(20);
    expect(refused.length).toBe(40 - ok.length);
    expect(refused[0]).toMatch(/\r\nRetry-After: 5\r\n/);
    expect(neighbour.replies.map(status)).toEqual(['SIP/2.0 200 OK']);
  });
});

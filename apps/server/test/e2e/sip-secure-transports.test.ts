import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as connectTls } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeSelfSignedCertificate } from '../../../../packages/sip/src/transport/tls-fixtures.ts';
import { ConfigError } from '../../src/config/config.ts';
import { freePort } from '../free-port.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

function request(method: string, transport: string, sentBy: string, branch: string): string {
  return [
    `${method} sip:demo.provod.local SIP/2.0`,
    `Via: SIP/2.0/${transport} ${sentBy};branch=z9hG4bK${branch}`,
    'Max-Forwards: 70',
    'To: <sip:101@demo.provod.local>',
    'From: <sip:101@demo.provod.local>;tag=a73kszlfl',
    `Call-ID: ${branch}@browser`,
    `CSeq: 1 ${method}`,
    'Contact: <sip:101@df7jal23ls0d.invalid;transport=ws>',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** `provod start` speaks SIP over WebSocket on its HTTP port and over TLS when configured. */
describe('SIP over WebSocket and TLS in provod start', () => {
  let provod: ProvodUnderTest | undefined;
  afterEach(async () => {
    await provod?.stop();
    provod = undefined;
  });

  it('answers SIP over WebSocket at /sip on the HTTP port, as a browser sends it', async () => {
    provod = await startProvodUnderTest('ws');
    const socket = new WebSocket(`ws://127.0.0.1:${provod.httpPort}/sip`, 'sip');
    const replies: string[] = [];
    socket.on('message', (data: Buffer) => replies.push(data.toString()));
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    try {
      socket.send(request('OPTIONS', 'WS', 'df7jal23ls0d.invalid', 'ws1'));
      socket.send(request('REGISTER', 'WS', 'df7jal23ls0d.invalid', 'ws2'));
      for (let i = 0; i < 100 && replies.length < 2; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      socket.close();
    }
    expect(replies.find((r) => r.includes('ws1@browser'))).toMatch(/^SIP\/2\.0 200 OK/);
    expect(replies.find((r) => r.includes('ws2@browser'))).toMatch(
      /^SIP\/2\.0 401 [^]*WWW-Authenticate: Digest realm="demo\.provod\.local"/,
    );
  });

  it('answers SIP over TLS on the configured port with the configured certificate', async () => {
    const certificate = makeSelfSignedCertificate();
    const tlsPort = await freePort();
    provod = await startProvodUnderTest('tls', undefined, (config, dir) => {
      writeFileSync(join(dir, 'cert.pem'), certificate.cert);
      writeFileSync(join(dir, 'key.pem'), certificate.key);
      return {
        ...config,
        sip: {
          ...config.sip,
          tlsPort,
          tlsCertFile: join(dir, 'cert.pem'),
          tlsKeyFile: join(dir, 'key.pem'),
        },
      };
    });
    expect(provod.server.sip.endpoints).toContainEqual(
      expect.objectContaining({ transport: 'tls', port: tlsPort }),
    );
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connectTls({ host: '127.0.0.1', port: tlsPort, ca: certificate.cert }, () => {
        socket.write(request('OPTIONS', 'TLS', '127.0.0.1:5999', 'tls1'));
      });
      let text = '';
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        if (text.includes('\r\n\r\n')) {
          socket.end();
          resolve(text);
        }
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^SIP\/2\.0 200 OK/);
  });

  it('refuses to start with a TLS certificate file it cannot read, naming the setting', async () => {
    const start = startProvodUnderTest('tls-missing', undefined, (config, dir) => ({
      ...config,
      sip: { ...config.sip, tlsCertFile: join(dir, 'nope.pem'), tlsKeyFile: join(dir, 'nope.key') },
    }));
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/sip\.tlsCertFile/);
  });
});

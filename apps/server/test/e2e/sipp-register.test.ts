import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

/** A REGISTER scenario for sipp: send, take the 401 challenge, answer it, expect `final`. */
function registerScenario(user: string, domain: string, final: number): string {
  const request = (cseq: number, auth: boolean) => `
    <send retrans="500">
      <![CDATA[
        REGISTER sip:${domain} SIP/2.0
        Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
        From: <sip:${user}@${domain}>;tag=[pid]SIPpTag00[call_number]
        To: <sip:${user}@${domain}>
        Call-ID: [call_id]
        CSeq: ${cseq} REGISTER
        Contact: <sip:${user}@[local_ip]:[local_port];transport=[transport]>${auth ? '\n        [authentication]' : ''}
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

interface SippRun {
  code: number | null;
  output: string;
}

function runSipp(args: string[]): Promise<SippRun> {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** sipp (Debian sip-tester) registers against a real `provod start` over UDP and TCP. */
describe('REGISTER with digest authentication, driven by sipp', () => {
  let provod: ProvodUnderTest;

  beforeEach(async () => {
    provod = await startProvodUnderTest('sipp');
  });
  afterEach(() => provod.stop());

  async function sippRegister(transport: 'u1' | 't1', password: string, final: number) {
    const scenario = join(provod.dir, `register-${transport}-${final}.xml`);
    writeFileSync(scenario, registerScenario('101', 'demo.provod.local', final));
    return runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      scenario,
      '-t',
      transport,
      '-i',
      '127.0.0.1',
      '-p',
      String(await freePort()),
      '-au',
      '101',
      '-ap',
      password,
      '-m',
      '1',
      '-timeout',
      '15s',
      '-nostdin',
      '-trace_err',
      '-error_file',
      join(provod.dir, `sipp-errors-${transport}.log`),
    ]);
  }

  it('registers extension 101 over UDP and shows it in the API', async () => {
    const run = await sippRegister('u1', provod.sipPasswordOf('101'), 200);
    expect(run.code, run.output).toBe(0);
    expect(await provod.registrations()).toEqual([
      expect.objectContaining({
        extension: '101',
        transport: 'udp',
        userAgent: 'sipp-e2e',
        sourceAddress: '127.0.0.1',
      }),
    ]);
  });

  it('registers over TCP too', async () => {
    const run = await sippRegister('t1', provod.sipPasswordOf('101'), 200);
    expect(run.code, run.output).toBe(0);
    expect((await provod.registrations()).map((r) => r.transport)).toEqual(['tcp']);
  });

  it('answers OPTIONS, refuses INVITE with 501 for now, CANCEL with 481, and survives garbage', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const replies: string[] = [];
    socket.on('message', (data) => replies.push(data.toString()));
    const send = (text: string) =>
      new Promise<void>((resolve, reject) =>
        socket.send(text, provod.sipPort, '127.0.0.1', (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    const request = (method: string, branch: string) =>
      [
        `${method} sip:101@demo.provod.local SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${socket.address().port};branch=z9hG4bK${branch};rport`,
        'Max-Forwards: 70',
        'To: <sip:101@demo.provod.local>',
        'From: <sip:probe@demo.provod.local>;tag=93810874',
        `Call-ID: ${branch}@probe`,
        `CSeq: 1 ${method}`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const until = async (count: number) => {
      for (let i = 0; i < 100 && replies.length < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await send(request('OPTIONS', 'opt1'));
      await until(1);
      await send('\u0000\u00ff garbage that is no SIP at all\r\n\r\n');
      await send(request('INVITE', 'inv1'));
      await until(3);
      await send(request('CANCEL', 'can1'));
      await until(4);
      await send(request('OPTIONS', 'opt2'));
      await until(5);
    } finally {
      socket.close();
    }
    const statusLines = replies.map((reply) => reply.split('\r\n')[0]);
    expect(statusLines).toContain('SIP/2.0 200 OK');
    expect(statusLines).toContain('SIP/2.0 501 Not Implemented');
    expect(statusLines).toContain('SIP/2.0 481 Call/Transaction Does Not Exist');
    expect(
      replies.filter((r) => r.includes('opt2@probe') && r.startsWith('SIP/2.0 200')),
    ).toHaveLength(1);
    expect(replies.find((r) => r.startsWith('SIP/2.0 200'))).toMatch(
      /\r\nAllow: REGISTER, OPTIONS\r\n/,
    );
  });

  it('keeps challenging a wrong password and registers nothing', async () => {
    const run = await sippRegister('u1', 'not-the-password', 401);
    expect(run.code, run.output).toBe(0);
    expect(await provod.registrations()).toEqual([]);
  });
});

import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { registerScenario } from '../sipp/register-scenario.ts';
import { runSipp } from '../sipp/run-sipp.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

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

  it('answers OPTIONS, challenges an unauthenticated INVITE (407), CANCEL without INVITE 481, survives garbage', async () => {
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
    expect(statusLines).toContain('SIP/2.0 407 Proxy Authentication Required');
    expect(statusLines).toContain('SIP/2.0 481 Call/Transaction Does Not Exist');
    expect(
      replies.filter((r) => r.includes('opt2@probe') && r.startsWith('SIP/2.0 200')),
    ).toHaveLength(1);
    expect(replies.find((r) => r.startsWith('SIP/2.0 200'))).toMatch(
      /\r\nAllow: INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER, INFO, UPDATE, MESSAGE, NOTIFY\r\n/,
    );
  });

  it('keeps challenging a wrong password and registers nothing', async () => {
    const run = await sippRegister('u1', 'not-the-password', 401);
    expect(run.code, run.output).toBe(0);
    expect(await provod.registrations()).toEqual([]);
  });
});

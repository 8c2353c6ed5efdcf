import { join } from 'node:path';
import type { Registration } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePortPair } from '../free-port.ts';
import { startBaresip, type Baresip } from './baresip.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';

/**
 * Debian's baresip 1.0 (libre 1.1) phones register against a real `provod start`.
 * libre 1.1 fails the whole 401 with ENOSYS ("Register: Function not implemented") when
 * any WWW-Authenticate in it is not MD5 (re/src/sip/auth.c, auth_handler), so these tests
 * need a registrar that offers such phones MD5 alone.
 */
describe('REGISTER from baresip', () => {
  let provod: ProvodUnderTest;
  let phones: Baresip[] = [];

  beforeEach(async () => {
    phones = [];
    provod = await startProvodUnderTest('baresip');
  });
  afterEach(async () => {
    try {
      await Promise.all(phones.map((phone) => phone.stop('SIGKILL', 2_000)));
    } finally {
      await provod.stop();
    }
  });

  async function phone(user: string, password: string): Promise<{ phone: Baresip; port: number }> {
    const port = await freePortPair();
    const started = startBaresip({
      dir: join(provod.dir, `baresip-${user}`),
      sipPort: port,
      account: { user, domain, password, proxy: { host: '127.0.0.1', port: provod.sipPort } },
    });
    phones.push(started);
    return { phone: started, port };
  }

  /** The first registration outcome baresip prints for `user`: the status line or the error. */
  async function outcome(phone: Baresip, user: string): Promise<string> {
    const aor = `${user}@${domain}`.replaceAll('.', '\\.');
    const line = new RegExp(`^(?:${aor}: \\{0/UDP/v4\\} (.*)|reg: sip:${aor}: (.*))$`, 'm');
    const match = await phone.waitFor(line, 8_000);
    return match[1] ?? match[2] ?? '';
  }

  const registrations = (): Promise<Registration[]> => provod.registrations();

  /** Polls the API until `done` holds; returns the last list either way. */
  async function registrationsUntil(done: (list: Registration[]) => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    let list = await registrations();
    while (!done(list) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      list = await registrations();
    }
    return list;
  }

  const extensions = (list: Registration[]) => list.map((r) => r.extension).sort();

  it('registers 101 and 102 and lists them with baresip as user agent, from 127.0.0.1', async () => {
    const [a, b] = await Promise.all([
      phone('101', provod.sipPasswordOf('101')),
      phone('102', provod.sipPasswordOf('102')),
    ]);
    expect(await outcome(a.phone, '101'), a.phone.output).toMatch(/^200 OK\b/);
    expect(await outcome(b.phone, '102'), b.phone.output).toMatch(/^200 OK\b/);

    const list = await registrations();
    expect(extensions(list)).toEqual(['101', '102']);
    for (const [extension, port] of [
      ['101', a.port],
      ['102', b.port],
    ] as const) {
      expect(list.find((r) => r.extension === extension)).toMatchObject({
        transport: 'udp',
        sourceAddress: '127.0.0.1',
        sourcePort: port,
        userAgent: expect.stringContaining('baresip') as unknown,
        contact: expect.stringContaining(`@127.0.0.1:${port}`) as unknown,
      });
    }
  });

  it('refuses 103 with a wrong password and lists only the phone that knows its own', async () => {
    const good = await phone('101', provod.sipPasswordOf('101'));
    expect(await outcome(good.phone, '101'), good.phone.output).toMatch(/^200 OK\b/);

    const bad = await phone('103', 'not-the-password');
    // Provod re-challenges a wrong digest (401) and, after ten failures for the same user,
    // refuses it (403); baresip answers each fresh challenge at once, so it ends on the 403.
    expect(await outcome(bad.phone, '103'), bad.phone.output).toMatch(/^40[13] /);

    expect(extensions(await registrations())).toEqual(['101']);
  });

  it('drops 101 when its baresip exits on SIGTERM (REGISTER with expires=0)', async () => {
    const [a, b] = await Promise.all([
      phone('101', provod.sipPasswordOf('101')),
      phone('102', provod.sipPasswordOf('102')),
    ]);
    expect(await outcome(a.phone, '101'), a.phone.output).toMatch(/^200 OK\b/);
    expect(await outcome(b.phone, '102'), b.phone.output).toMatch(/^200 OK\b/);
    expect(extensions(await registrations())).toEqual(['101', '102']);

    // baresip unregisters every account on SIGTERM ("ua: stop all") and exits when done.
    const exit = await a.phone.stop('SIGTERM', 5_000);
    expect(exit.signal, a.phone.output).not.toBe('SIGKILL');
    const list = await registrationsUntil((l) => l.length === 1, 3_000);
    expect(extensions(list)).toEqual(['102']);
  });
});

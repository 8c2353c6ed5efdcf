import type { Call } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { uacAnsweredCall } from '../sipp/call-scenarios.ts';
import {
  carrierAccount,
  carrierTakesAuthenticatedCall,
  carrierUnavailable,
} from '../sipp/carrier-scenarios.ts';
import { runSipp, startSipp } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';
const outside = '+79161234567';

/**
 * Calls out through the tenant's trunks, with sipp as the carriers: extension 101 (sipp)
 * dials a mobile number; the primary trunk's carrier answers 503, so Provod fails over to
 * the backup trunk, whose carrier challenges with 401 and takes the call only with the
 * trunk's credentials (sipp's verifyauth). The call log has an outbound call from 101.
 */
describe('outbound calls through trunks, with sipp as carriers', () => {
  let provod: ProvodUnderTest;
  beforeEach(async () => {
    provod = await startProvodUnderTest('sipp-trunk');
  });
  afterEach(() => provod.stop());
  const sipp = () => sippSession(provod, domain);

  async function waitForCall(): Promise<Call> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const call = (await provod.calls()).find((c) => c.callee === outside);
      if (call !== undefined) return call;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the outbound call never reached the call log');
  }

  it('fails over from a broken trunk and answers the carrier’s digest challenge', async () => {
    const primaryPort = await freePort();
    const backupPort = await freePort();
    await provod.api('POST', '/api/v1/trunks', {
      name: 'primary',
      host: '127.0.0.1',
      port: primaryPort,
      priority: 10,
    });
    await provod.api('POST', '/api/v1/trunks', {
      name: 'backup',
      host: '127.0.0.1',
      port: backupPort,
      priority: 20,
      username: carrierAccount.username,
      password: carrierAccount.password,
    });
    const primary = startSipp(
      [
        '-sf',
        sipp().scenario('primary', carrierUnavailable()),
        ...sipp().args(primaryPort, 'primary'),
      ],
      40_000,
    );
    const backup = startSipp(
      [
        '-sf',
        sipp().scenario('backup', carrierTakesAuthenticatedCall()),
        '-mp',
        String(await freePort()),
        ...sipp().args(backupPort, 'backup'),
      ],
      40_000,
    );
    const caller = await runSipp(
      [
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        sipp().scenario(
          'caller',
          uacAnsweredCall({ caller: '101', callee: outside, domain }, 1000),
        ),
        '-au',
        '101',
        '-ap',
        provod.sipPasswordOf('101'),
        ...sipp().args(await freePort(), 'caller'),
      ],
      40_000,
    );
    if (caller.code !== 0) {
      primary.child.kill('SIGKILL');
      backup.child.kill('SIGKILL');
    }
    const [primaryRun, backupRun] = await Promise.all([primary.done, backup.done]);
    expect(caller.code, caller.output).toBe(0);
    expect(primaryRun.code, primaryRun.output).toBe(0);
    expect(backupRun.code, backupRun.output).toBe(0);
    const call = await waitForCall();
    expect(call).toMatchObject({
      direction: 'outbound',
      status: 'answered',
      caller: '101',
      callee: outside,
      extensionNumber: '101',
    });
    expect(call.talkSeconds).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('answers 404 for a number no trunk’s prefixes take', async () => {
    await provod.api('POST', '/api/v1/trunks', {
      name: 'mobile only',
      host: '127.0.0.1',
      port: await freePort(),
      dialPrefixes: ['+79'],
    });
    const caller = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp().scenario(
        'landline',
        uacAnsweredCall({ caller: '101', callee: '+74950001122', domain }),
      ),
      '-au',
      '101',
      '-ap',
      provod.sipPasswordOf('101'),
      ...sipp().args(await freePort(), 'landline'),
    ]);
    expect(caller.code).not.toBe(0);
    expect(caller.output).toMatch(/404/);
  }, 60_000);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import {
  uacAnsweredCall,
  uacCancelledCall,
  uacFailedCall,
  uasAnswers,
  uasBusy,
  uasCancelled,
} from '../sipp/call-scenarios.ts';
import { runSipp, startSipp, type SippRun } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';

/** The call log is written just after the call ends: ask again for a moment. */
async function eventually<Item>(read: () => Promise<Item[]>): Promise<Item[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const items = await read();
    if (items.length > 0) return items;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read();
}

/**
 * Calls through a real `provod start`, driven by sipp on both ends: sipp as 101 calls
 * 102 (a second sipp registered as 102 plays the phone). Provod authenticates the caller,
 * finds 102's registration and bridges the two dialogs.
 */
describe('extension → extension calls, driven by sipp', () => {
  let provod: ProvodUnderTest;

  beforeEach(async () => {
    provod = await startProvodUnderTest('sipp-call');
  });
  afterEach(() => provod.stop());

  const sipp = () => sippSession(provod, domain, '15s');

  async function call(
    uasXml: string | undefined,
    uacXml: string,
    callee = '102',
  ): Promise<{ uac: SippRun; uas: SippRun | undefined }> {
    const uasPort = await freePort();
    let uas: ReturnType<typeof startSipp> | undefined;
    if (uasXml !== undefined) {
      await sipp().register('102', uasPort);
      uas = startSipp(['-sf', sipp().scenario('uas', uasXml), ...sipp().args(uasPort, 'uas')]);
    }
    const uac = await runSipp([
      `127.0.0.1:${provod.sipPort}`,
      '-sf',
      sipp().scenario(`uac-${callee}`, uacXml),
      '-au',
      '101',
      '-ap',
      provod.sipPasswordOf('101'),
      ...sipp().args(await freePort(), 'uac'),
    ]);
    if (uas !== undefined && uac.code !== 0) uas.child.kill('SIGKILL');
    return { uac, uas: uas === undefined ? undefined : await uas.done };
  }

  const address = (callee: string) => ({ caller: '101', callee, domain });

  it('connects 101 to 102: ringing, answer, ACK, talk, BYE relayed to the callee', async () => {
    const { uac, uas } = await call(uasAnswers(), uacAnsweredCall(address('102')));
    expect(uac.code, uac.output).toBe(0);
    expect(uas?.code, uas?.output).toBe(0);
    expect(provod.server.sip.activeCalls).toBe(0);
    const [logged] = await eventually(() => provod.calls());
    expect(logged).toMatchObject({
      direction: 'internal',
      status: 'answered',
      caller: '101',
      callee: '102',
      hangupCause: 'caller_hung_up',
    });
    expect(logged?.answeredAt).not.toBeNull();
  });

  it('passes the callee’s busy (486) back to the caller', async () => {
    const { uac, uas } = await call(uasBusy(), uacFailedCall(address('102'), 486));
    expect(uac.code, uac.output).toBe(0);
    expect(uas?.code, uas?.output).toBe(0);
    const [logged] = await eventually(() => provod.calls());
    expect(logged).toMatchObject({ status: 'busy', talkSeconds: 0, answeredAt: null });
  });

  it('cancels the callee’s ringing phone when the caller cancels (200, 487)', async () => {
    const { uac, uas } = await call(uasCancelled(), uacCancelledCall(address('102')));
    expect(uac.code, uac.output).toBe(0);
    expect(uas?.code, uas?.output).toBe(0);
    expect(provod.server.sip.activeCalls).toBe(0);
  });

  it('answers 480 for an extension with no registered phone', async () => {
    const { uac } = await call(undefined, uacFailedCall(address('102'), 480));
    expect(uac.code, uac.output).toBe(0);
  });

  it('answers 404 for a number that is no extension of the tenant', async () => {
    const { uac } = await call(undefined, uacFailedCall(address('999'), 404), '999');
    expect(uac.code, uac.output).toBe(0);
  });
});

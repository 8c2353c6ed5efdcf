import type { Call, CrmCallAttempt } from '@provod/contracts';
import { createAmoCrmSandbox, type AmoCrmSandbox } from '@provod/crm-sandbox';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { uacAnsweredCall, uasAnswers } from '../sipp/call-scenarios.ts';
import { runSipp, startSipp } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

const domain = 'demo.provod.local';
const client = '+79161234567';
const integration = {
  clientId: '9d3c1b7e-2a4f-4e6b-8c1d-5e7f9a0b1c2d',
  clientSecret: 'provod-e2e-secret',
  redirectUri: 'https://provod.example/crm/amocrm/installed',
};

/**
 * The whole way from a phone to amoCRM: the demo tenant connects the amoCRM sandbox
 * through the API (a real OAuth code exchange), extension 101 (sipp) calls a client's
 * mobile through a trunk (sipp as the carrier answers), and after the hang-up the job
 * worker of `provod start` puts the call into the sandbox — a new contact with the
 * number and an outgoing call on it — and Provod's trace shows what was sent.
 */
describe('a real call reaches amoCRM', () => {
  let provod: ProvodUnderTest;
  let sandbox: AmoCrmSandbox;
  beforeEach(async () => {
    provod = await startProvodUnderTest('crm-amocrm', undefined, (config) => ({
      ...config,
      jobs: { ...config.jobs, pollIntervalMs: 50 },
    }));
    sandbox = createAmoCrmSandbox();
    await sandbox.listen(0, '127.0.0.1');
  });
  afterEach(async () => {
    await provod.stop();
    await sandbox.close();
  });
  const sipp = () => sippSession(provod, domain);

  async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await read();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} never happened`);
  }

  it('an answered outbound call becomes a contact and a call_out note, traced in Provod', async () => {
    await provod.api('POST', '/api/v1/crm/connections', {
      kind: 'amocrm',
      name: 'amoCRM',
      baseUrl: sandbox.url,
      auth: { type: 'oauth', ...integration, code: sandbox.install(integration) },
    });
    const carrierPort = await freePort();
    await provod.api('POST', '/api/v1/trunks', {
      name: 'carrier',
      host: '127.0.0.1',
      port: carrierPort,
    });
    const carrier = startSipp(
      ['-sf', sipp().scenario('carrier', uasAnswers()), ...sipp().args(carrierPort, 'carrier')],
      40_000,
    );
    const caller = await runSipp(
      [
        `127.0.0.1:${provod.sipPort}`,
        '-sf',
        sipp().scenario('caller', uacAnsweredCall({ caller: '101', callee: client, domain }, 1500)),
        '-au',
        '101',
        '-ap',
        provod.sipPasswordOf('101'),
        ...sipp().args(await freePort(), 'caller'),
      ],
      40_000,
    );
    if (caller.code !== 0) carrier.child.kill('SIGKILL');
    const carrierRun = await carrier.done;
    expect(caller.code, caller.output).toBe(0);
    expect(carrierRun.code, carrierRun.output).toBe(0);

    const call = await eventually<Call>(
      async () => (await provod.calls()).find((c) => c.callee === client),
      'the call log row',
    );
    expect(call).toMatchObject({ direction: 'outbound', status: 'answered' });
    const note = await eventually(
      async () => [...sandbox.state.notes.values()].find((n) => n.note_type === 'call_out'),
      'the amoCRM call note',
    );
    const [contact, ...others] = [...sandbox.state.contacts.values()];
    expect(others).toEqual([]);
    expect(contact?.name).toBe(`Новый контакт ${client}`);
    expect(note).toMatchObject({ entity_type: 'contacts', entity_id: contact?.id });
    expect(note.params).toMatchObject({ phone: client, call_status: 4, source: 'provod' });
    expect(Number(note.params.duration)).toBeGreaterThanOrEqual(1);

    const [attempt] = await provod.api<CrmCallAttempt[]>('GET', `/api/v1/calls/${call.id}/crm`);
    expect(attempt).toMatchObject({
      outcome: 'completed',
      callType: 'outbound_answered',
      clientPhone: client,
    });
    expect(attempt?.steps.map((step) => `${step.name}:${step.outcome}`)).toEqual([
      'find_contact:done',
      'create_contact:done',
      'register_call:done',
    ]);
  }, 60_000);
});

import type { Call, CrmCallAttempt } from '@provod/contracts';
import {
  createAmoCrmSandbox,
  createBitrix24Sandbox,
  defaultSandboxApp,
  type AmoCrmSandbox,
  type Bitrix24Sandbox,
} from '@provod/crm-sandbox';
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
 * The whole way from a phone to the CRM: the demo tenant connects a CRM sandbox through
 * the API (a real OAuth code exchange), extension 101 (sipp) calls a client's mobile
 * through a trunk (sipp as the carrier answers), and after the hang-up the job worker of
 * `provod start` puts the call into the sandbox — a new contact with the number and an
 * outgoing call on it — and Provod's trace shows what was sent.
 */
describe('a real call reaches the CRM', () => {
  let provod: ProvodUnderTest;
  const closers: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    provod = await startProvodUnderTest('crm-call', undefined, (config) => ({
      ...config,
      jobs: { ...config.jobs, pollIntervalMs: 50 },
    }));
  });
  afterEach(async () => {
    await provod.stop();
    for (const close of closers.splice(0)) await close();
  });
  const sipp = () => sippSession(provod, domain);

  async function amoSandbox(): Promise<AmoCrmSandbox> {
    const sandbox = createAmoCrmSandbox();
    await sandbox.listen(0, '127.0.0.1');
    closers.push(() => sandbox.close());
    return sandbox;
  }

  /** A portal whose user 2 has the inner phone 101, as the tenant's extension. */
  async function bitrixSandbox(): Promise<{ sandbox: Bitrix24Sandbox; url: string }> {
    const sandbox = createBitrix24Sandbox({
      users: [
        { ID: 1, NAME: 'Admin', IS_ADMIN: true },
        { ID: 2, NAME: 'Ольга', UF_PHONE_INNER: '101' },
      ],
    });
    const url = await sandbox.app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => sandbox.app.close());
    return { sandbox, url };
  }

  /** 101 calls the client through the carrier trunk; the carrier answers; returns the call. */
  async function answeredOutboundCall(): Promise<Call> {
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
    return call;
  }

  async function eventually<T>(read: () => Promise<T | undefined>, what: string): Promise<T> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const value = await read();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`${what} never happened`);
  }

  it('amoCRM: an answered outbound call becomes a contact and a call_out note, traced in Provod', async () => {
    const sandbox = await amoSandbox();
    await provod.api('POST', '/api/v1/crm/connections', {
      kind: 'amocrm',
      name: 'amoCRM',
      baseUrl: sandbox.url,
      auth: { type: 'oauth', ...integration, code: sandbox.install(integration) },
    });
    const call = await answeredOutboundCall();
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

  it('Bitrix24: the same call becomes a contact and a finished external call by the extension owner', async () => {
    const { sandbox, url } = await bitrixSandbox();
    await provod.api('POST', '/api/v1/crm/connections', {
      kind: 'bitrix24',
      name: 'Bitrix24',
      baseUrl: url,
      auth: {
        type: 'oauth',
        clientId: defaultSandboxApp.clientId,
        clientSecret: defaultSandboxApp.clientSecret,
        code: sandbox.authorize(defaultSandboxApp.clientId, 1),
        oauthUrl: url,
      },
    });
    const call = await answeredOutboundCall();
    const registered = await eventually(
      async () =>
        [...sandbox.store.calls.values()].find(
          (c) => c.state === 'finished' && c.records.length === 0,
        ),
      'the Bitrix24 call, finished',
    );
    const [contact, ...others] = [...sandbox.store.crmTable('CONTACT').values()];
    expect(others).toEqual([]);
    expect(contact?.fields.NAME).toBe(`Новый контакт ${client}`);
    expect(registered).toMatchObject({
      type: 1,
      userId: 2,
      phoneNumber: client,
      crmEntityType: 'CONTACT',
      crmEntityId: contact?.ID,
    });
    expect(registered.statistic?.CALL_FAILED_CODE).toBe('200');
    expect(registered.statistic?.CALL_DURATION).toBeGreaterThanOrEqual(1);

    const [attempt] = await provod.api<CrmCallAttempt[]>('GET', `/api/v1/calls/${call.id}/crm`);
    expect(attempt).toMatchObject({ outcome: 'completed', callType: 'outbound_answered' });
    expect(attempt?.steps.map((step) => `${step.name}:${step.outcome}`)).toEqual([
      'find_client:done',
      'create_contact:done',
      'register_call:done',
      'finish_call:done',
      'attach_record:skipped',
    ]);
  }, 60_000);
});

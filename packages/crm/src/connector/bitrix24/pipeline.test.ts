import { describe, expect, it } from 'vitest';
import {
  closeBitrixSandboxesAfterEach,
  openBitrixHarness,
  type BitrixHarness,
} from '../../../test/bitrix24-sandbox.ts';
import type { CallRecord } from '../../call-model.ts';
import { buildExtensionUserMap } from '../responsible.ts';
import type { CallLinks } from '../links.ts';
import { MemoryProcessedSteps, stepKey } from '../steps.ts';
import { runBitrix24Call, type Bitrix24CallOutcome } from './pipeline.ts';
import { defaultBitrix24Rules, type Bitrix24Rules } from './rules.ts';

closeBitrixSandboxesAfterEach();

const links: CallLinks = {
  recording: (call) =>
    call.recordingFile === null ? null : `https://pbx.example/recordings/${call.id}`,
  callPage: (call) => `https://pbx.example/calls/${call.id}`,
  recordingFileName: (call) => call.recordingFile,
};

function call(overrides: Partial<CallRecord>): CallRecord {
  return {
    id: 'call-1',
    source: 'provod_pbx',
    direction: 'inbound',
    callerNumber: '89001234567',
    calledNumber: '74950000000',
    trunk: 'trunk-1',
    extensionsRung: ['102'],
    answeredBy: null,
    startedAt: '2026-03-10T07:58:00.000Z',
    answeredAt: null,
    endedAt: '2026-03-10T07:58:30.000Z',
    durationSeconds: 30,
    talkSeconds: 0,
    result: 'missed',
    hangupCause: null,
    transfers: [],
    recordingFile: null,
    ...overrides,
  };
}

const answered = call({
  id: 'call-2',
  answeredBy: '102',
  answeredAt: '2026-03-10T07:58:05.000Z',
  talkSeconds: 25,
  result: 'answered',
  recordingFile: 'call-2.wav',
});

async function runner(harness: BitrixHarness, rules: Bitrix24Rules = defaultBitrix24Rules) {
  const users = buildExtensionUserMap([], await harness.client.listUsers(), {});
  const processed = new MemoryProcessedSteps();
  return {
    processed,
    run: (record: CallRecord): Promise<Bitrix24CallOutcome> =>
      runBitrix24Call({
        call: record,
        rules,
        connectionId: 'conn-1',
        client: harness.client,
        processed,
        users,
        links,
      }),
  };
}

function outcomes(result: Bitrix24CallOutcome): string[] {
  return result.trace.steps.map((step) => `${step.name}:${step.outcome}`);
}

function restRequests(harness: BitrixHarness, from: number): string[] {
  return harness.requests.slice(from).map((request) => request.replace(/^POST \/rest\//, ''));
}

describe('runBitrix24Call against the Bitrix24 sandbox', () => {
  it('a missed call from an unknown number: a lead, the call finished 304, a task for who rang', async () => {
    const harness = await openBitrixHarness();
    const { run } = await runner(harness);
    const before = harness.requests.length;
    const result = await run(call({}));
    expect(result.outcome).toBe('completed');
    expect(outcomes(result)).toEqual([
      'find_client:done',
      'create_lead:done',
      'register_call:done',
      'finish_call:done',
      'attach_record:skipped',
      'missed_call_task:done',
    ]);
    // The extension 102 is Boris's UF_PHONE_INNER: the first rung is responsible.
    expect(result.trace.responsible).toMatchObject({ userId: 2, source: 'first_rung' });
    expect(restRequests(harness, before)).toEqual([
      'crm.duplicate.findbycomm.json',
      'crm.lead.add.json',
      'telephony.externalCall.register.json',
      'telephony.externalCall.finish.json',
      'tasks.task.add.json',
    ]);
    const { store } = harness.sandbox;
    const [lead] = [...store.crmTable('LEAD').values()];
    expect(lead?.fields).toMatchObject({ TITLE: 'Звонок с +79001234567', ASSIGNED_BY_ID: 2 });
    const [registered] = [...store.calls.values()];
    expect(registered).toMatchObject({
      type: 2,
      userId: 2,
      crmEntityType: 'LEAD',
      crmEntityId: lead?.ID,
      externalCallId: stepKey('conn-1', 'call-1', 'register_call', 'bitrix24'),
    });
    expect(registered?.statistic).toMatchObject({ CALL_FAILED_CODE: '304', CALL_DURATION: 0 });
    expect(store.tasks[0]).toMatchObject({
      title: 'Перезвонить: пропущенный звонок с +79001234567',
      responsibleId: 2,
      deadline: '2026-03-10T08:28:30+00:00',
    });
    expect(store.tasks[0]?.extra).toMatchObject({ UF_CRM_TASK: [`L_${lead?.ID}`] });
  });

  it('an answered call from a known contact: on the contact, by who answered, with its recording', async () => {
    const harness = await openBitrixHarness();
    const contact = harness.sandbox.seedContact({
      NAME: 'Known',
      ASSIGNED_BY_ID: '1',
      PHONE: [{ VALUE: '+79001234567' }],
    });
    const { run } = await runner(harness);
    const before = harness.requests.length;
    const result = await run(answered);
    expect(outcomes(result)).toEqual([
      'find_client:done',
      'create_contact:skipped',
      'register_call:done',
      'finish_call:done',
      'attach_record:done',
    ]);
    // The employee decides before the contact's responsible: the contact is not read.
    expect(restRequests(harness, before)).toEqual([
      'crm.duplicate.findbycomm.json',
      'telephony.externalCall.register.json',
      'telephony.externalCall.finish.json',
      'telephony.externalCall.attachRecord.json',
    ]);
    const [registered] = [...harness.sandbox.store.calls.values()];
    expect(registered).toMatchObject({ crmEntityType: 'CONTACT', crmEntityId: contact.ID });
    expect(registered?.statistic).toMatchObject({ CALL_FAILED_CODE: '200', CALL_DURATION: 25 });
    expect(registered?.records[0]).toMatchObject({
      filename: 'call-2.wav',
      url: 'https://pbx.example/recordings/call-2',
    });
  });

  it("the contact's responsible, when the order puts it first, is read from the contact", async () => {
    const harness = await openBitrixHarness();
    harness.sandbox.seedContact({
      NAME: 'Known',
      ASSIGNED_BY_ID: '1',
      PHONE: [{ VALUE: '+79001234567' }],
    });
    const { run } = await runner(harness, {
      ...defaultBitrix24Rules,
      responsibleOrder: ['contact_responsible', 'employee'],
    });
    const before = harness.requests.length;
    const result = await run(answered);
    expect(restRequests(harness, before).slice(0, 2)).toEqual([
      'crm.duplicate.findbycomm.json',
      'crm.contact.get.json',
    ]);
    expect(result.trace.responsible).toMatchObject({ userId: 1, source: 'contact_responsible' });
    expect([...harness.sandbox.store.calls.values()][0]?.userId).toBe(1);
  });

  it('Bitrix24 down at finish: the retry finishes the same call, nothing is registered twice', async () => {
    const harness = await openBitrixHarness();
    const { run } = await runner(harness);
    harness.sandbox.faults.add({
      pathPrefix: '/rest/telephony.externalCall.finish',
      fault: { kind: 'status', status: 503 },
      remaining: 3,
    });
    const failed = await run(call({}));
    expect(failed.outcome).toBe('failed');
    expect(failed.outcome === 'failed' && failed.error.retryable).toBe(true);
    await run(call({}));
    await run(call({}));
    const retried = await run(call({}));
    expect(outcomes(retried)).toEqual([
      'find_client:done',
      'create_lead:already_done',
      'register_call:already_done',
      'finish_call:done',
      'attach_record:skipped',
      'missed_call_task:done',
    ]);
    const { store } = harness.sandbox;
    expect(store.calls.size).toBe(1);
    expect(store.crmTable('LEAD').size).toBe(1);
    expect(store.tasks).toHaveLength(1);
    expect(store.activities).toHaveLength(1);
  });

  it('an interrupted register and task are found again, not duplicated', async () => {
    const harness = await openBitrixHarness();
    const { run, processed } = await runner(harness);
    const first = await run(call({}));
    expect(first.outcome).toBe('completed');
    // As if the answers to register, finish and the task had been lost: only "started" is known.
    for (const step of ['register_call', 'finish_call', 'missed_call_task'])
      processed.records.set(stepKey('conn-1', 'call-1', step, 'bitrix24'), { state: 'started' });
    const again = await run(call({}));
    expect(outcomes(again)).toEqual([
      'find_client:done',
      'create_lead:already_done',
      'register_call:done',
      'finish_call:done',
      'attach_record:skipped',
      'missed_call_task:done',
    ]);
    expect(again.trace.steps.map((step) => step.detail).slice(3)).toEqual([
      'finished by an interrupted attempt (Bitrix24: call is not found)',
      'the call has no recording',
      expect.stringMatching(/^found task \d+ of an interrupted attempt$/),
    ]);
    const { store } = harness.sandbox;
    expect(store.calls.size).toBe(1);
    expect(store.tasks).toHaveLength(1);
  });

  it('an incoming webhook: contacts, leads and tasks, but the call itself is not registered', async () => {
    const harness = await openBitrixHarness({}, 'webhook');
    const { run } = await runner(harness);
    const result = await run(call({}));
    expect(outcomes(result)).toEqual([
      'find_client:done',
      'create_lead:done',
      'register_call:skipped',
      'finish_call:skipped',
      'attach_record:skipped',
      'missed_call_task:done',
    ]);
    expect(result.trace.steps[2]?.detail).toMatch(/WRONG_AUTH_TYPE/);
    expect(harness.sandbox.store.calls.size).toBe(0);
  });

  it('a refused request ends the call as failed, not retryable', async () => {
    const harness = await openBitrixHarness();
    const { run } = await runner(harness, { ...defaultBitrix24Rules, fallbackUserId: 99 });
    const result = await run(call({ extensionsRung: [] }));
    expect(result.outcome).toBe('failed');
    if (result.outcome !== 'failed') return;
    expect(result.error).toMatchObject({ code: 'rejected', portalCode: 'ERROR_CORE' });
    expect(result.error.retryable).toBe(false);
    expect(outcomes(result).at(-1)).toBe('register_call:failed');
  });

  it('internal calls and filtered calls send nothing', async () => {
    const harness = await openBitrixHarness();
    const { run } = await runner(harness, {
      ...defaultBitrix24Rules,
      callFilter: {
        extensions: { mode: 'all', values: [] },
        trunks: { mode: 'except', values: ['trunk-1'] },
      },
    });
    const before = harness.requests.length;
    const filtered = await run(call({}));
    expect(filtered.trace.skipped).toMatch(/black list/);
    const internal = await run(
      call({ direction: 'internal', callerNumber: '101', calledNumber: '102' }),
    );
    expect(internal.trace.skipped).toBe('internal call: no client number');
    expect(harness.requests.length).toBe(before);
  });
});

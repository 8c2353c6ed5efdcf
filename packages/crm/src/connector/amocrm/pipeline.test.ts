import { describe, expect, it } from 'vitest';
import { amiCall } from '../../../test/ami-calls.ts';
import {
  closeSandboxesAfterEach,
  openHarness,
  type Harness,
} from '../../../test/amocrm-sandbox.ts';
import type { CallRecord } from '../../call-model.ts';
import { runAmoCrmCall, type AmoCallOutcome } from './pipeline.ts';
import { buildExtensionUserMap } from '../responsible.ts';
import { defaultAmoCrmRules, type AmoCrmRules, type CallTypeRule } from '../rules.ts';
import type { CallLinks } from '../links.ts';
import { MemoryProcessedSteps, type StepResult } from '../steps.ts';

closeSandboxesAfterEach();

const links: CallLinks = {
  recording: (call) =>
    call.recordingFile === null ? null : `https://pbx.example/recordings/${call.id}`,
  callPage: (call) => `https://pbx.example/calls/${call.id}`,
};

function rulesWith(
  overrides: Partial<Record<keyof AmoCrmRules['callTypes'], CallTypeRule>>,
  fallbackUserId: number,
): AmoCrmRules {
  return {
    ...defaultAmoCrmRules,
    fallbackUserId,
    callTypes: { ...defaultAmoCrmRules.callTypes, ...overrides },
  };
}

interface Setup {
  readonly harness: Harness;
  readonly users: { admin: number; olga: number; ivan: number };
  readonly userMap: Map<string, number>;
}

/** A sandbox with two employees (101 Olga, 102 Ivan) mapped by e-mail. */
async function setup(): Promise<Setup> {
  const harness = await openHarness();
  const [olga, ivan] = harness.sandbox.seed({
    users: [
      { name: 'Ольга', email: 'olga@example.com' },
      { name: 'Иван', email: 'Ivan@Example.com' },
    ],
  }).users;
  const admin = harness.sandbox.state.defaultUserId();
  if (olga === undefined || ivan === undefined) throw new Error('users not seeded');
  const userMap = buildExtensionUserMap(
    [
      { extension: '101', email: 'olga@example.com' },
      { extension: '102', email: 'ivan@example.com' },
    ],
    await harness.client.listUsers(),
    {},
  );
  return { harness, users: { admin, olga, ivan }, userMap };
}

function runner(s: Setup, rules: AmoCrmRules, processed = new MemoryProcessedSteps()) {
  return (call: CallRecord): Promise<AmoCallOutcome> =>
    runAmoCrmCall({
      call,
      rules,
      connectionId: 'conn-1',
      client: s.harness.client,
      processed,
      users: s.userMap,
      links,
    });
}

function outcomes(result: AmoCallOutcome): string[] {
  return result.trace.steps.map((step) => `${step.name}:${step.outcome}`);
}

function callNotes(s: Setup) {
  return [...s.harness.sandbox.state.notes.values()].filter(
    (note) => note.note_type === 'call_in' || note.note_type === 'call_out',
  );
}

describe('inbound missed call from an unknown number', () => {
  it('contact + call + task exactly once, though the first /api/v4/calls answers 502', async () => {
    const s = await setup();
    const call = amiCall('inbound-missed.txt');
    const run = runner(s, rulesWith({}, s.users.admin));
    s.harness.sandbox.faults.add({
      pathPrefix: '/api/v4/calls',
      fault: {
        kind: 'status',
        status: 502,
        body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
      },
      remaining: 1,
    });

    const first = await run(call);
    expect(first.outcome).toBe('failed');
    if (first.outcome !== 'failed') return;
    expect([first.error.code, first.error.retryable]).toEqual(['server_error', true]);
    expect(outcomes(first)).toEqual([
      'find_contact:done',
      'create_contact:done',
      'register_call:failed',
    ]);
    const failedStep = first.trace.steps.at(-1);
    expect(failedStep?.exchanges.map((exchange) => [exchange.status, exchange.error])).toEqual([
      [502, 'server_error'],
    ]);
    expect(failedStep?.exchanges[0]?.response).toContain('502 Bad Gateway');

    const second = await run(call);
    expect(outcomes(second)).toEqual([
      'find_contact:done',
      'create_contact:already_done',
      'register_call:done',
      'missed_call_task:done',
    ]);
    const third = await run(call);
    expect(outcomes(third)).toEqual([
      'find_contact:done',
      'create_contact:already_done',
      'register_call:already_done',
      'missed_call_task:already_done',
    ]);

    const { state } = s.harness.sandbox;
    expect([...state.contacts.values()].map((contact) => contact.name)).toEqual([
      'Новый контакт +79261112233',
    ]);
    const contact = [...state.contacts.values()][0];
    const notes = callNotes(s);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({
      entity_type: 'contacts',
      entity_id: contact?.id,
      note_type: 'call_in',
      params: {
        duration: 0,
        call_status: 6,
        phone: '+79261112233',
        uniq: 'amocrm:conn-1:1710241200.5:register_call',
      },
    });
    const tasks = [...state.tasks.values()];
    expect(tasks).toHaveLength(1);
    // Nobody answered: the first rung (101, Olga) is responsible; due 30 min after the call ended.
    expect(tasks[0]).toMatchObject({
      entity_type: 'contacts',
      entity_id: contact?.id,
      task_type_id: 1,
      responsible_user_id: s.users.olga,
      complete_till: Math.floor(Date.parse(call.endedAt) / 1000) + 30 * 60,
      text: 'Перезвонить: пропущенный звонок с +79261112233',
    });
    expect(first.trace.responsible).toEqual({
      userId: s.users.olga,
      source: 'first_rung',
      reason: 'first rung: extension 101',
    });
    // On the rerun the contact exists, with the responsible the first attempt gave it.
    expect(second.trace.responsible?.userId).toBe(s.users.olga);
  });

  it('a crash after the request, before the record: the rerun finds the call and the task', async () => {
    const s = await setup();
    const call = amiCall('inbound-missed.txt');
    const processed = new MemoryProcessedSteps();
    const crashed = new Set<string>();
    const crashing = {
      get: (key: string) => processed.get(key),
      markStarted: (key: string) => processed.markStarted(key),
      async markDone(key: string, result: StepResult) {
        // Killed once per step, right after amoCRM accepted the write.
        if (
          !crashed.has(key) &&
          (key.endsWith(':register_call') || key.endsWith(':missed_call_task'))
        ) {
          crashed.add(key);
          throw new Error('process killed');
        }
        await processed.markDone(key, result);
      },
    };
    const rules = rulesWith({}, s.users.admin);
    const run = (steps: typeof crashing) =>
      runAmoCrmCall({
        call,
        rules,
        connectionId: 'conn-1',
        client: s.harness.client,
        processed: steps,
        users: s.userMap,
        links,
      });
    await expect(run(crashing)).rejects.toThrow('process killed');
    await expect(run(crashing)).rejects.toThrow('process killed');
    const last = await run(crashing);
    expect(outcomes(last)).toEqual([
      'find_contact:done',
      'create_contact:already_done',
      'register_call:already_done',
      'missed_call_task:done',
    ]);
    expect(last.trace.steps[3]?.detail).toContain('interrupted attempt');
    expect(callNotes(s)).toHaveLength(1);
    expect(s.harness.sandbox.state.tasks.size).toBe(1);
    expect(s.harness.sandbox.state.contacts.size).toBe(1);
  });

  it('a 429 storm on every path: retryable failures, then everything exactly once', async () => {
    const s = await setup();
    const call = amiCall('inbound-missed.txt');
    const run = runner(s, rulesWith({}, s.users.admin));
    s.harness.sandbox.faults.add({
      pathPrefix: '/api/v4/',
      fault: { kind: 'rate_limited' },
      remaining: 4,
    });
    s.harness.sandbox.faults.add({
      pathPrefix: '/api/v4/tasks',
      fault: { kind: 'rate_limited' },
      remaining: 2,
    });
    const codes: string[] = [];
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const result = await run(call);
      if (result.outcome === 'completed') break;
      expect(result.error.retryable).toBe(true);
      codes.push(result.error.code);
    }
    expect(codes).toEqual(Array.from({ length: 6 }, () => 'rate_limited'));
    expect(s.harness.sandbox.state.contacts.size).toBe(1);
    expect(callNotes(s)).toHaveLength(1);
    expect(s.harness.sandbox.state.tasks.size).toBe(1);
  });
});

describe('known clients', () => {
  it('inbound answered from a known contact: the call lands on the contact, answered by 101', async () => {
    const s = await setup();
    const [contactId] = s.harness.sandbox.seed({
      contacts: [
        { name: 'Клиент', phones: ['8 (916) 123-45-67'], responsible_user_id: s.users.ivan },
      ],
    }).contacts;
    const call = amiCall('inbound-answered.txt');
    const result = await runner(s, rulesWith({}, s.users.admin))(call);
    expect(result.outcome).toBe('completed');
    expect(outcomes(result)).toEqual([
      'find_contact:done',
      'create_contact:skipped',
      'register_call:done',
    ]);
    expect(s.harness.sandbox.state.contacts.size).toBe(1);
    expect(callNotes(s)).toMatchObject([
      {
        entity_type: 'contacts',
        entity_id: contactId,
        note_type: 'call_in',
        params: {
          duration: 87,
          call_status: 4,
          call_result: 'Разговор состоялся',
          call_responsible: s.users.olga,
        },
      },
    ]);
    const register = result.trace.steps.find((step) => step.name === 'register_call');
    expect(register?.exchanges[0]?.request).toContain('"direction":"inbound"');
  });

  it('a contact with one active lead: amoCRM puts the call on the lead', async () => {
    const s = await setup();
    const [contactId] = s.harness.sandbox.seed({
      contacts: [{ name: 'Клиент', phones: ['+79161234567'] }],
    }).contacts;
    const [leadId] = s.harness.sandbox.seed({
      leads: [{ name: 'Сделка', contact_ids: contactId === undefined ? [] : [contactId] }],
    }).leads;
    await runner(s, rulesWith({}, s.users.admin))(amiCall('blind-transfer.txt'));
    expect(callNotes(s)).toMatchObject([{ entity_type: 'leads', entity_id: leadId }]);
  });

  it("the contact's responsible first when the rule says so; the recording link goes along", async () => {
    const s = await setup();
    s.harness.sandbox.seed({
      contacts: [{ name: 'Клиент', phones: ['+79991234567'], responsible_user_id: s.users.ivan }],
    });
    const rules = {
      ...rulesWith({}, s.users.admin),
      responsibleOrder: ['contact_responsible', 'employee'] as const,
    };
    const result = await runner(s, rules)(amiCall('inbound-recorded.txt'));
    expect(result.trace.responsible?.userId).toBe(s.users.ivan);
    expect(callNotes(s)[0]?.params).toMatchObject({
      link: expect.stringContaining('/recordings/') as unknown,
      call_responsible: s.users.ivan,
    });
  });
});

describe('rules for unknown numbers', () => {
  it('outbound busy with "nothing": no contact, no call (amoCRM would drop it)', async () => {
    const s = await setup();
    const result = await runner(s, rulesWith({}, s.users.admin))(amiCall('outbound-busy.txt'));
    expect(result.outcome).toBe('completed');
    expect(outcomes(result)).toEqual(['find_contact:done', 'register_call:skipped']);
    expect(s.harness.sandbox.state.contacts.size).toBe(0);
    expect(callNotes(s)).toHaveLength(0);
  });

  it('outbound answered with create_lead: contact, lead on it, call on the lead; the dialler is responsible', async () => {
    const s = await setup();
    const rules = rulesWith(
      {
        outbound_answered: {
          unknownNumber: 'create_lead',
          registerCall: true,
          missedCallTaskMinutes: null,
        },
      },
      s.users.admin,
    );
    const result = await runner(s, rules)(amiCall('outbound-answered.txt'));
    expect(outcomes(result)).toEqual([
      'find_contact:done',
      'create_contact:done',
      'create_lead:done',
      'register_call:done',
    ]);
    const lead = [...s.harness.sandbox.state.leads.values()][0];
    expect(lead?.responsible_user_id).toBe(s.users.olga);
    expect(callNotes(s)).toMatchObject([
      {
        entity_type: 'leads',
        entity_id: lead?.id,
        note_type: 'call_out',
        params: { duration: 60 },
      },
    ]);
  });

  it('inbound missed with add_unsorted: an incoming lead, the call and the task on that lead', async () => {
    const s = await setup();
    const rules = rulesWith(
      {
        inbound_missed: {
          unknownNumber: 'add_unsorted',
          registerCall: true,
          missedCallTaskMinutes: 15,
        },
      },
      s.users.admin,
    );
    const result = await runner(s, rules)(amiCall('inbound-missed.txt'));
    expect(outcomes(result)).toEqual([
      'find_contact:done',
      'add_unsorted:done',
      'register_call:done',
      'missed_call_task:done',
    ]);
    const { state } = s.harness.sandbox;
    expect(state.unsorted).toHaveLength(1);
    expect(state.unsorted[0]?.metadata).toMatchObject({
      from: '+79261112233',
      link: 'https://pbx.example/calls/1710241200.5',
    });
    const leadId = state.unsorted[0]?.lead_id;
    expect(callNotes(s)).toMatchObject([{ entity_type: 'leads', entity_id: leadId }]);
    expect([...state.tasks.values()]).toMatchObject([{ entity_type: 'leads', entity_id: leadId }]);
  });

  it('internal calls and anonymous callers send nothing', async () => {
    const s = await setup();
    const run = runner(s, rulesWith({}, s.users.admin));
    const internal = await run(amiCall('internal.txt'));
    expect(internal.trace.skipped).toBe('internal call: no client number');
    const anonymous = await run({ ...amiCall('inbound-missed.txt'), callerNumber: 'anonymous' });
    expect(anonymous.trace.skipped).toContain('not an outside number');
    const requests = s.harness.log.filter((line) => /^(GET|POST|PATCH) /.test(line));
    expect(
      requests.filter(
        (line) => !line.startsWith('GET /api/v4/users') && !line.startsWith('POST /oauth2'),
      ),
    ).toEqual([]);
  });

  it("a validation error fails the call permanently with amoCRM's paths", async () => {
    const s = await setup();
    // Nobody mapped rang, and the fallback user is not in the account: amoCRM refuses it.
    const orphan: CallRecord = {
      ...amiCall('inbound-missed.txt'),
      id: 'orphan',
      extensionsRung: ['199'],
    };
    const failed = await runner(s, rulesWith({}, 424242))(orphan);
    expect(failed.outcome).toBe('failed');
    if (failed.outcome !== 'failed') return;
    expect([failed.error.code, failed.error.retryable]).toEqual(['validation', false]);
    expect(failed.error.paths).toEqual(['responsible_user_id']);
  });
});

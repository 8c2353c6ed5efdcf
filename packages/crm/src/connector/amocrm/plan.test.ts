import { describe, expect, it } from 'vitest';
import { amiCall } from '../../../test/ami-calls.ts';
import { planAmoCrmCall } from './plan.ts';
import { buildExtensionUserMap, chooseResponsible } from '../responsible.ts';
import { classifyCall, defaultAmoCrmRules, type AmoCrmRules } from '../rules.ts';

const rules: AmoCrmRules = { ...defaultAmoCrmRules, fallbackUserId: 1 };

describe('classifyCall on the AMI transcripts', () => {
  it.each([
    ['inbound-answered.txt', 'inbound_answered'],
    ['inbound-missed.txt', 'inbound_missed'],
    ['outbound-answered.txt', 'outbound_answered'],
    ['outbound-busy.txt', 'outbound_not_answered'],
    ['internal.txt', 'internal'],
    ['attended-transfer.txt', 'transferred'],
  ])('%s is %s', (file, type) => {
    expect(classifyCall(amiCall(file))).toBe(type);
  });
});

describe('planAmoCrmCall', () => {
  it('inbound missed: find, create a contact, register, task — each with a stable key and its rule', () => {
    const plan = planAmoCrmCall(amiCall('inbound-missed.txt'), rules, 'c1');
    expect(plan.clientPhone).toBe('+79261112233');
    expect(plan.steps.map((step) => [step.name, step.key])).toEqual([
      ['find_contact', 'amocrm:c1:1710241200.5:find_contact'],
      ['create_contact', 'amocrm:c1:1710241200.5:create_contact'],
      ['register_call', 'amocrm:c1:1710241200.5:register_call'],
      ['missed_call_task', 'amocrm:c1:1710241200.5:missed_call_task'],
    ]);
    expect(plan.steps[3]?.reason).toBe(
      'inbound_missed: task for the responsible, due 30 min after the call',
    );
    // Planning twice gives the same keys: what makes a rerun idempotent.
    expect(planAmoCrmCall(amiCall('inbound-missed.txt'), rules, 'c1')).toEqual(plan);
  });

  it('outbound: the client is the called number; unsorted and lead rules plan their steps', () => {
    const custom: AmoCrmRules = {
      ...rules,
      callTypes: {
        ...rules.callTypes,
        outbound_answered: {
          unknownNumber: 'create_lead',
          registerCall: true,
          missedCallTaskMinutes: null,
        },
        outbound_not_answered: {
          unknownNumber: 'add_unsorted',
          registerCall: false,
          missedCallTaskMinutes: 5,
        },
      },
    };
    const answered = planAmoCrmCall(amiCall('outbound-answered.txt'), custom, 'c1');
    expect(answered.clientPhone).toBe('+79031234567');
    expect(answered.steps.map((step) => step.name)).toEqual([
      'find_contact',
      'create_contact',
      'create_lead',
      'register_call',
    ]);
    const busy = planAmoCrmCall(amiCall('outbound-busy.txt'), custom, 'c1');
    expect(busy.steps.map((step) => step.name)).toEqual([
      'find_contact',
      'add_unsorted',
      'missed_call_task',
    ]);
  });

  it('plans nothing for internal calls, unusable numbers and rules that ask for nothing', () => {
    expect(planAmoCrmCall(amiCall('internal.txt'), rules, 'c1')).toMatchObject({
      steps: [],
      skipped: 'internal call: no client number',
    });
    const hidden = { ...amiCall('inbound-answered.txt'), callerNumber: '' };
    expect(planAmoCrmCall(hidden, rules, 'c1').skipped).toContain('not an outside number');
    const silent: AmoCrmRules = {
      ...rules,
      callTypes: {
        ...rules.callTypes,
        inbound_answered: {
          unknownNumber: 'create_contact',
          registerCall: false,
          missedCallTaskMinutes: null,
        },
      },
    };
    expect(planAmoCrmCall(amiCall('inbound-answered.txt'), silent, 'c1').skipped).toBe(
      'inbound_answered: the rule asks for nothing',
    );
  });
});

describe('responsible user', () => {
  const users = [
    { id: 10, name: 'Ольга', email: 'Olga@Example.com', isActive: true },
    { id: 11, name: 'Иван', email: 'ivan@example.com', isActive: false },
    { id: 12, name: 'Пётр', email: null, isActive: true },
  ];

  it('maps extensions by e-mail (active users only); the manual mapping wins', () => {
    const map = buildExtensionUserMap(
      [
        { extension: '101', email: 'olga@example.com ' },
        { extension: '102', email: 'ivan@example.com' },
        { extension: '103', email: null },
      ],
      users,
      { '103': 12 },
    );
    expect([...map]).toEqual([
      ['101', 10],
      ['103', 12],
    ]);
    expect(
      buildExtensionUserMap([{ extension: '101', email: 'olga@example.com' }], users, {
        '101': 12,
      }).get('101'),
    ).toBe(12);
  });

  it('follows the configured order, then the fallback user', () => {
    const map = new Map([['102', 20]]);
    const missed = amiCall('inbound-missed.txt'); // rang 101 then 102, nobody answered
    const contact = { id: 5, name: 'К', responsibleUserId: 30, phones: [], leadIds: [] };
    // Nobody answered and 101, the first rung, is not mapped: the fallback user.
    expect(chooseResponsible(missed, rules, null, map)).toEqual({
      userId: 1,
      source: 'fallback',
      reason: 'fallback user',
    });
    expect(
      chooseResponsible(missed, { ...rules, responsibleOrder: ['last_rung'] }, null, map),
    ).toEqual({ userId: 20, source: 'last_rung', reason: 'last rung: extension 102' });
    expect(chooseResponsible(missed, rules, contact, map)).toEqual({
      userId: 30,
      source: 'contact_responsible',
      reason: "contact 5's responsible",
    });
    const outbound = amiCall('outbound-answered.txt'); // dialled by 101
    expect(chooseResponsible(outbound, rules, contact, new Map([['101', 40]]))).toEqual({
      userId: 40,
      source: 'employee',
      reason: 'employee: extension 101',
    });
  });

  it("falls back to the line's own user (by trunk, else by the dialled number) before the tenant's", () => {
    const missed = amiCall('inbound-missed.txt');
    const withLines = (lineFallbackUsers: Record<string, number>): AmoCrmRules => ({
      ...rules,
      lineFallbackUsers,
    });
    expect(
      chooseResponsible(missed, withLines({ [missed.calledNumber]: 7 }), null, new Map()),
    ).toEqual({
      userId: 7,
      source: 'fallback',
      reason: `fallback user of ${missed.calledNumber}`,
    });
    const trunk = missed.trunk ?? 'none';
    expect(
      chooseResponsible(
        missed,
        withLines({ [trunk]: 8, [missed.calledNumber]: 7 }),
        null,
        new Map(),
      ).userId,
    ).toBe(8);
  });

  it('gives a transferred call to the extension that took it', () => {
    const transferred = amiCall('blind-transfer.txt'); // 101 answered, transferred to 102
    expect(classifyCall(transferred)).toBe('transferred');
    const users = new Map([
      ['101', 40],
      ['102', 50],
    ]);
    expect(chooseResponsible(transferred, rules, null, users)).toMatchObject({
      userId: 50,
      reason: 'employee: extension 102',
    });
  });
});

describe('the call filter', () => {
  const withFilter = (callFilter: AmoCrmRules['callFilter']): AmoCrmRules => ({
    ...rules,
    callFilter,
  });
  const all = { mode: 'all', values: [] } as const;

  it('a white list of extensions keeps calls no listed extension took part in', () => {
    const call = amiCall('inbound-missed.txt');
    const only = (values: string[]) =>
      planAmoCrmCall(call, withFilter({ extensions: { mode: 'only', values }, trunks: all }), 'c1');
    expect(call.extensionsRung.length).toBeGreaterThan(0);
    expect(only([...call.extensionsRung]).skipped).toBeNull();
    expect(only(['199']).skipped).toMatch(/^call filter: no extension of the call .* white list$/);
  });

  it('a black list drops a call only when all its extensions are listed; trunks by name', () => {
    const call = amiCall('outbound-answered.txt');
    const except = (values: string[]) =>
      withFilter({ extensions: { mode: 'except', values }, trunks: all });
    expect(planAmoCrmCall(call, except([call.callerNumber]), 'c1').skipped).toMatch(/black list$/);
    expect(planAmoCrmCall(call, except(['199']), 'c1').skipped).toBeNull();
    const trunkOnly = withFilter({ extensions: all, trunks: { mode: 'only', values: ['x'] } });
    expect(planAmoCrmCall(call, trunkOnly, 'c1').skipped).toMatch(/trunk/);
  });
});

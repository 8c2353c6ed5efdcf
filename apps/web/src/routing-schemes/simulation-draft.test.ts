import { describe, expect, it } from 'vitest';
import {
  draftFieldErrors,
  instantFromWallClock,
  newSimulationDraft,
  simulationRequestFromDraft,
  type SimulationDraft,
} from './simulation-draft.ts';

const messages = { invalidAt: 'bad time', duplicateNumber: 'twice' };

function draft(overrides: Partial<SimulationDraft> = {}): SimulationDraft {
  return {
    caller: ' +74951234567 ',
    dialled: '+74950000000',
    at: '2025-06-02 10:00',
    ring: [],
    digits: [],
    conferencePin: '',
    leaveMessage: true,
    ...overrides,
  };
}

describe('instantFromWallClock', () => {
  it("reads the tenant's wall clock, not the browser's", () => {
    // The example of docs/routing-schemes.md "Simulator": 10:00 in Moscow is 07:00 UTC.
    expect(instantFromWallClock('2025-06-02 10:00', 'Europe/Moscow')?.toISOString()).toBe(
      '2025-06-02T07:00:00.000Z',
    );
    expect(instantFromWallClock('2025-06-02T10:00', 'UTC')?.toISOString()).toBe(
      '2025-06-02T10:00:00.000Z',
    );
  });

  it('takes the offset in force at that time on a daylight-saving day', () => {
    // Berlin moves from +01:00 to +02:00 at 02:00 on 2025-03-30.
    expect(instantFromWallClock('2025-03-30 01:30', 'Europe/Berlin')?.toISOString()).toBe(
      '2025-03-30T00:30:00.000Z',
    );
    expect(instantFromWallClock('2025-03-30 12:00', 'Europe/Berlin')?.toISOString()).toBe(
      '2025-03-30T10:00:00.000Z',
    );
  });

  it('refuses what is not a date and time', () => {
    for (const text of ['', '2025-06-02', '2025-02-30 10:00', '2025-06-02 24:00', '10:00']) {
      expect(instantFromWallClock(text, 'Europe/Moscow'), text).toBeNull();
    }
  });
});

describe('newSimulationDraft', () => {
  it("starts at now on the tenant's wall clock with an empty script", () => {
    const start = newSimulationDraft(new Date('2025-06-02T07:05:30Z'), 'Europe/Moscow');
    expect(start.at).toBe('2025-06-02 10:05');
    expect(start.ring).toEqual([]);
    expect(start.leaveMessage).toBe(true);
  });
});

describe('simulationRequestFromDraft', () => {
  it('builds the body: trimmed numbers, UTC time, ring rows as a record, no PIN as null', () => {
    const built = simulationRequestFromDraft(
      draft({
        ring: [
          { number: '101', answer: 'no_answer' },
          { number: ' +79161234567', answer: 'busy' },
        ],
        digits: ['', ' 2 '],
        leaveMessage: false,
      }),
      'Europe/Moscow',
      messages,
    );
    expect(built).toEqual({
      kind: 'valid',
      body: {
        caller: '+74951234567',
        dialled: '+74950000000',
        at: '2025-06-02T07:00:00.000Z',
        script: {
          ring: { '101': 'no_answer', '+79161234567': 'busy' },
          digits: ['', '2'],
          conferencePin: null,
          queueWaiting: {},
          leaveMessage: false,
        },
      },
    });
  });

  it('keeps a conference PIN', () => {
    const built = simulationRequestFromDraft(draft({ conferencePin: '4321' }), 'UTC', messages);
    expect(built.kind === 'valid' && built.body.script.conferencePin).toBe('4321');
  });

  it("names the form's fields for what the contract refuses", () => {
    const built = simulationRequestFromDraft(
      draft({
        caller: 'anonymous',
        at: '2025-13-01 10:00',
        ring: [
          { number: '101', answer: 'answer' },
          { number: 'reception', answer: 'busy' },
        ],
        digits: ['1', 'ab'],
        conferencePin: 'x',
      }),
      'UTC',
      messages,
    );
    expect(built.kind).toBe('invalid');
    if (built.kind !== 'invalid') return;
    expect(Object.keys(built.fields).sort()).toEqual([
      'at',
      'caller',
      'conferencePin',
      'digits.1',
      'ring.1',
    ]);
    expect(built.fields.at).toBe('bad time');
  });

  it('refuses one number in two ring rows rather than dropping one', () => {
    const built = simulationRequestFromDraft(
      draft({
        ring: [
          { number: '101', answer: 'answer' },
          { number: '101 ', answer: 'busy' },
        ],
      }),
      'UTC',
      messages,
    );
    expect(built).toEqual({ kind: 'invalid', fields: { 'ring.1': 'twice' } });
  });
});

describe('draftFieldErrors', () => {
  it("maps the API's request paths onto the form's rows and fields", () => {
    const form = draft({
      ring: [
        { number: '101', answer: 'answer' },
        { number: '102', answer: 'busy' },
      ],
    });
    expect(
      draftFieldErrors(
        {
          dialled: 'expected a number',
          'script.ring.102': 'no such extension',
          'script.digits.0': 'bad keys',
          'script.leaveMessage': 'expected a boolean',
        },
        form,
      ),
    ).toEqual({
      dialled: 'expected a number',
      'ring.1': 'no such extension',
      'digits.0': 'bad keys',
      leaveMessage: 'expected a boolean',
    });
  });

  it('drops a ring error for a number no row has (the summary still tells)', () => {
    expect(draftFieldErrors({ 'script.ring.999': 'unknown' }, draft())).toEqual({});
  });
});

import type { CallRecord } from '../../call-model.ts';
import type { AmoCrmRules, CallType } from '../rules.ts';
import type { PlannedStep as GenericPlannedStep } from '../run-steps.ts';
import { scopeCall } from '../scope.ts';
import { stepKey } from '../steps.ts';

/**
 * The amoCRM operations one finished call leads to, in order, each with the rule that
 * asked for it. Steps that depend on what amoCRM knows (`create_*` only for an unknown
 * number) are planned with their condition and decided when they run.
 */
export type StepName =
  | 'find_contact'
  | 'create_contact'
  | 'create_lead'
  | 'add_unsorted'
  | 'register_call'
  | 'missed_call_task';

export type PlannedStep = GenericPlannedStep<StepName>;

export interface CallPlan {
  readonly callId: string;
  readonly callType: CallType;
  /** The client's number in E.164, or null when there is none (internal, anonymous). */
  readonly clientPhone: string | null;
  readonly steps: readonly PlannedStep[];
  /** Why nothing is planned, when nothing is. */
  readonly skipped: string | null;
}

export function planAmoCrmCall(
  call: CallRecord,
  rules: AmoCrmRules,
  connectionId: string,
): CallPlan {
  const scoped = scopeCall(call, rules);
  const { callType, clientPhone } = scoped;
  const rule = rules.callTypes[callType];
  const base = { callId: call.id, callType };
  if (clientPhone === null) return { ...base, clientPhone, steps: [], skipped: scoped.skipped };
  const steps: PlannedStep[] = [];
  const add = (name: StepName, reason: string) =>
    steps.push({ name, key: stepKey(connectionId, call.id, name), reason });
  const wanted = rule.registerCall || rule.missedCallTaskMinutes !== null;
  if (!wanted)
    return { ...base, clientPhone, steps: [], skipped: `${callType}: the rule asks for nothing` };
  add('find_contact', `${callType}: find the client by ${clientPhone}`);
  const unknown = `${callType}, number unknown to amoCRM`;
  switch (rule.unknownNumber) {
    case 'create_contact':
      add('create_contact', `${unknown}: create a contact`);
      break;
    case 'create_lead':
      add('create_contact', `${unknown}: create a contact for the lead`);
      add('create_lead', `${unknown}: create a lead`);
      break;
    case 'add_unsorted':
      add('add_unsorted', `${unknown}: add an incoming lead to "unsorted"`);
      break;
    case 'nothing':
      break;
  }
  if (rule.registerCall) add('register_call', `${callType}: register the call`);
  if (rule.missedCallTaskMinutes !== null)
    add(
      'missed_call_task',
      `${callType}: task for the responsible, due ${rule.missedCallTaskMinutes} min after the call`,
    );
  return { ...base, clientPhone, steps, skipped: null };
}

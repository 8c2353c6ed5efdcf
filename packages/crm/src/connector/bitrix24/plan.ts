import type { CallRecord } from '../../call-model.ts';
import { scopeCall } from '../scope.ts';
import type { CallType } from '../rules.ts';
import type { PlannedStep } from '../run-steps.ts';
import { stepKey } from '../steps.ts';
import type { Bitrix24Rules } from './rules.ts';

/**
 * The Bitrix24 operations one finished call leads to, in order (CRM-FACTS §10): find the
 * client, maybe create a contact or lead, register the call, finish it, attach its
 * recording (only after finish), and a task for a missed call.
 */
export type Bitrix24StepName =
  | 'find_client'
  | 'create_contact'
  | 'create_lead'
  | 'register_call'
  | 'finish_call'
  | 'attach_record'
  | 'missed_call_task';

export interface Bitrix24CallPlan {
  readonly callId: string;
  readonly callType: CallType;
  readonly clientPhone: string | null;
  readonly steps: readonly PlannedStep<Bitrix24StepName>[];
  readonly skipped: string | null;
}

export function planBitrix24Call(
  call: CallRecord,
  rules: Bitrix24Rules,
  connectionId: string,
): Bitrix24CallPlan {
  const scoped = scopeCall(call, rules);
  const { callType, clientPhone } = scoped;
  const base = { callId: call.id, callType };
  if (clientPhone === null) return { ...base, clientPhone, steps: [], skipped: scoped.skipped };
  const rule = rules.callTypes[callType];
  if (!rule.registerCall && rule.missedCallTaskMinutes === null)
    return { ...base, clientPhone, steps: [], skipped: `${callType}: the rule asks for nothing` };
  const steps: PlannedStep<Bitrix24StepName>[] = [];
  const add = (name: Bitrix24StepName, reason: string) =>
    steps.push({ name, key: stepKey(connectionId, call.id, name, 'bitrix24'), reason });
  add('find_client', `${callType}: find the client by ${clientPhone}`);
  const unknown = `${callType}, number unknown to Bitrix24`;
  if (rule.unknownNumber === 'create_contact')
    add('create_contact', `${unknown}: create a contact`);
  if (rule.unknownNumber === 'create_lead') add('create_lead', `${unknown}: create a lead`);
  if (rule.registerCall) {
    add('register_call', `${callType}: register the call`);
    add('finish_call', `${callType}: finish it with its duration and result`);
    if (rules.attachRecordings)
      add('attach_record', `${callType}: attach the recording (recordings are on)`);
  }
  if (rule.missedCallTaskMinutes !== null)
    add(
      'missed_call_task',
      `${callType}: task for the responsible, due ${rule.missedCallTaskMinutes} min after the call`,
    );
  return { ...base, clientPhone, steps, skipped: null };
}

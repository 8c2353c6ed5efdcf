import type { CallRecord } from '../call-model.ts';
import { normalizePhoneE164 } from '../phone.ts';
import { classifyCall, filteredOut, type CallFilter, type CallType } from './rules.ts';

function clientNumber(call: CallRecord): string {
  return call.direction === 'outbound' ? call.calledNumber : call.callerNumber;
}

/** What either CRM's plan starts from: the call's type, and its client or why none. */
export type ScopedCall =
  | { readonly callType: CallType; readonly clientPhone: string; readonly skipped: null }
  | { readonly callType: CallType; readonly clientPhone: null; readonly skipped: string };

/** Internal calls, calls the filter keeps out and calls with no outside number stop here. */
export function scopeCall(
  call: CallRecord,
  rules: { readonly callFilter: CallFilter; readonly defaultCountryCode: string },
): ScopedCall {
  const callType = classifyCall(call);
  if (callType === 'internal')
    return { callType, clientPhone: null, skipped: 'internal call: no client number' };
  const filtered = filteredOut(call, rules.callFilter);
  if (filtered !== null)
    return { callType, clientPhone: null, skipped: `call filter: ${filtered}` };
  const raw = clientNumber(call);
  const clientPhone = normalizePhoneE164(raw, { defaultCountryCode: rules.defaultCountryCode });
  if (clientPhone === null)
    return {
      callType,
      clientPhone: null,
      skipped: `the client's number ${JSON.stringify(raw)} is not an outside number`,
    };
  return { callType, clientPhone, skipped: null };
}

import type { CallRecord, CallResult } from '../call-model.ts';
import type { HookSources } from './hooks.ts';

/**
 * The tenant's amoCRM settings for finished calls: per call type what to do with a number
 * amoCRM does not know, whether to register the call, and whether a missed call becomes a
 * task; who is responsible; which amoCRM user each extension is. Plain data, so the server
 * can store it (versioned) and the cabinet can edit it.
 */
export type CallType =
  | 'inbound_answered'
  | 'inbound_missed'
  | 'outbound_answered'
  | 'outbound_not_answered'
  | 'transferred'
  | 'internal';

export const callTypes: readonly CallType[] = [
  'inbound_answered',
  'inbound_missed',
  'outbound_answered',
  'outbound_not_answered',
  'transferred',
  'internal',
];

/**
 * amoCRM attaches a call only to an entity that has the number (CRM-FACTS §4), so an
 * unknown number needs one first: a contact, a contact with a lead, an incoming lead in
 * "unsorted" (unsorted-api, category sip), or nothing — then the call is not registered.
 */
export type UnknownNumberAction = 'create_contact' | 'create_lead' | 'add_unsorted' | 'nothing';

export interface CallTypeRule {
  readonly unknownNumber: UnknownNumberAction;
  readonly registerCall: boolean;
  /** A follow-up task (type 1) for the responsible, due this many minutes after the call ended. */
  readonly missedCallTaskMinutes: number | null;
}

/**
 * Where the responsible user comes from, tried in order; the fallback user ends the chain.
 * `employee`: who answered an inbound or internal call, who dialled an outbound one.
 */
export type ResponsibleSource = 'employee' | 'contact_responsible' | 'first_rung' | 'last_rung';

/** A black or white list: `all` lets every value through. */
export interface ListFilter {
  readonly mode: 'all' | 'only' | 'except';
  readonly values: readonly string[];
}

/**
 * Which calls reach the CRM at all: by the extensions on the call (who dialled out, who
 * rang) and by the trunk that carried it. A call passes the extension filter when any of
 * its extensions passes (a call rung at a listed extension is that extension's call).
 */
export interface CallFilter {
  readonly extensions: ListFilter;
  readonly trunks: ListFilter;
}

export interface AmoCrmRules {
  readonly callTypes: Readonly<Record<CallType, CallTypeRule>>;
  readonly responsibleOrder: readonly ResponsibleSource[];
  readonly fallbackUserId: number;
  /** Trunk name or dialled number → the user who takes that line's calls nobody else took. */
  readonly lineFallbackUsers: Readonly<Record<string, number>>;
  /** Extension → amoCRM user id, set by hand; wins over the automatic e-mail match. */
  readonly extensionUsers: Readonly<Record<string, number>>;
  /** The calls' `source` and the unsorted entry's `service_code`. */
  readonly source: string;
  /** The unsorted entry's `source_name`. */
  readonly sourceName: string;
  /** Pipeline for new leads and unsorted entries; null = the account's main pipeline. */
  readonly pipelineId: number | null;
  /** Country code for 10-digit national numbers (phone.ts). */
  readonly defaultCountryCode: string;
  /** `{phone}` is replaced by the client's number. */
  readonly missedCallTaskText: string;
  /** `{phone}` is replaced by the client's number. */
  readonly newContactName: string;
  /** `{phone}` is replaced by the client's number. */
  readonly newLeadName: string;
  readonly callResultTexts: Readonly<Record<CallResult, string>>;
  readonly callFilter: CallFilter;
  /** The tenant's JavaScript hooks by point (hooks.ts). */
  readonly hooks: HookSources;
}

const nothing: CallTypeRule = {
  unknownNumber: 'nothing',
  registerCall: false,
  missedCallTaskMinutes: null,
};

/** What a new connection starts with: every outside call registered, missed ones as tasks. */
export const defaultAmoCrmRules: AmoCrmRules = {
  callTypes: {
    inbound_answered: {
      unknownNumber: 'create_contact',
      registerCall: true,
      missedCallTaskMinutes: null,
    },
    inbound_missed: {
      unknownNumber: 'create_contact',
      registerCall: true,
      missedCallTaskMinutes: 30,
    },
    outbound_answered: {
      unknownNumber: 'create_contact',
      registerCall: true,
      missedCallTaskMinutes: null,
    },
    outbound_not_answered: {
      unknownNumber: 'nothing',
      registerCall: true,
      missedCallTaskMinutes: null,
    },
    transferred: {
      unknownNumber: 'create_contact',
      registerCall: true,
      missedCallTaskMinutes: null,
    },
    internal: nothing,
  },
  responsibleOrder: ['employee', 'contact_responsible', 'first_rung'],
  fallbackUserId: 0,
  lineFallbackUsers: {},
  extensionUsers: {},
  source: 'provod',
  sourceName: 'Provod',
  pipelineId: null,
  defaultCountryCode: '7',
  missedCallTaskText: 'Перезвонить: пропущенный звонок с {phone}',
  newContactName: 'Новый контакт {phone}',
  newLeadName: 'Звонок с {phone}',
  callResultTexts: {
    answered: 'Разговор состоялся',
    missed: 'Пропущенный звонок',
    busy: 'Занято',
    failed: 'Не удалось дозвониться',
  },
  callFilter: { extensions: { mode: 'all', values: [] }, trunks: { mode: 'all', values: [] } },
  hooks: {},
};

/**
 * The call type a record falls under: busy and failed count as not answered; an outside
 * call answered and then transferred is `transferred`, whatever its direction.
 */
export function classifyCall(call: CallRecord): CallType {
  const answered = call.result === 'answered';
  if (answered && call.direction !== 'internal' && call.transfers.length > 0) return 'transferred';
  switch (call.direction) {
    case 'inbound':
      return answered ? 'inbound_answered' : 'inbound_missed';
    case 'outbound':
      return answered ? 'outbound_answered' : 'outbound_not_answered';
    case 'internal':
      return 'internal';
  }
}

export function fillPhone(template: string, phone: string): string {
  return template.split('{phone}').join(phone);
}

function passes(filter: ListFilter, values: readonly string[], what: string): string | null {
  if (filter.mode === 'all') return null;
  const listed = values.filter((value) => filter.values.includes(value));
  if (filter.mode === 'only' && listed.length === 0)
    return `no ${what} of the call (${values.join(', ') || 'none'}) is on the white list`;
  if (filter.mode === 'except' && listed.length > 0 && listed.length === values.length)
    return `the call's ${what} ${listed.join(', ')} ${listed.length > 1 ? 'are' : 'is'} on the black list`;
  return null;
}

/** Why the call filter keeps this call from the CRM, or null when it lets it through. */
export function filteredOut(call: CallRecord, filter: CallFilter): string | null {
  const extensions = [
    ...new Set([
      ...(call.direction === 'outbound' ? [call.callerNumber] : []),
      ...call.extensionsRung,
      ...(call.answeredBy === null ? [] : [call.answeredBy]),
    ]),
  ];
  return (
    passes(filter.extensions, extensions, 'extension') ??
    passes(filter.trunks, call.trunk === null ? [] : [call.trunk], 'trunk')
  );
}

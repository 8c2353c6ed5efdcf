import type { HookSources } from '../hooks.ts';
import type { CallFilter, CallType, ResponsibleSource } from '../rules.ts';

/**
 * The tenant's Bitrix24 settings for finished calls. Unlike amoCRM, Bitrix24 keeps a call
 * with no CRM record too (in its telephony statistics), so `nothing` for an unknown
 * number still registers the call — just without an activity in the CRM.
 */
export type BitrixUnknownNumberAction = 'create_contact' | 'create_lead' | 'nothing';

export interface Bitrix24CallTypeRule {
  readonly unknownNumber: BitrixUnknownNumberAction;
  /** register + finish (+ the recording): the call in the statistics and the CRM timeline. */
  readonly registerCall: boolean;
  /** A task for the responsible, due this many minutes after the call ended. */
  readonly missedCallTaskMinutes: number | null;
}

export interface Bitrix24Rules {
  readonly callTypes: Readonly<Record<CallType, Bitrix24CallTypeRule>>;
  readonly responsibleOrder: readonly ResponsibleSource[];
  /** A Bitrix24 user id; a new connection takes the portal's first active user. */
  readonly fallbackUserId: number;
  /** Trunk name or dialled number → the user who takes that line's calls nobody else took. */
  readonly lineFallbackUsers: Readonly<Record<string, number>>;
  /** Extension → Bitrix24 user id, set by hand; wins over e-mail and UF_PHONE_INNER. */
  readonly extensionUsers: Readonly<Record<string, number>>;
  readonly defaultCountryCode: string;
  /** SOURCE_ID of new contacts and leads (the portal's source list; CALL is "Call"). */
  readonly sourceId: string;
  /** LINE_NUMBER of registered calls: the portal's external line, or null for none. */
  readonly lineNumber: string | null;
  readonly attachRecordings: boolean;
  /** ADD_TO_CHAT on finish: a message about the call in the employee's chat. */
  readonly addToChat: boolean;
  /** `{phone}` is replaced by the client's number. */
  readonly missedCallTaskText: string;
  /** `{phone}` is replaced by the client's number. */
  readonly newContactName: string;
  /** `{phone}` is replaced by the client's number. */
  readonly newLeadName: string;
  readonly callFilter: CallFilter;
  /** The tenant's JavaScript hooks by point (../hooks.ts). */
  readonly hooks: HookSources;
}

const rule = (
  unknownNumber: BitrixUnknownNumberAction,
  registerCall: boolean,
  missedCallTaskMinutes: number | null = null,
): Bitrix24CallTypeRule => ({ unknownNumber, registerCall, missedCallTaskMinutes });

/** What a new connection starts with: every outside call registered, missed ones as tasks. */
export const defaultBitrix24Rules: Bitrix24Rules = {
  callTypes: {
    inbound_answered: rule('create_contact', true),
    inbound_missed: rule('create_lead', true, 30),
    outbound_answered: rule('create_contact', true),
    outbound_not_answered: rule('nothing', true),
    transferred: rule('create_contact', true),
    internal: rule('nothing', false),
  },
  responsibleOrder: ['employee', 'contact_responsible', 'first_rung'],
  fallbackUserId: 1,
  lineFallbackUsers: {},
  extensionUsers: {},
  defaultCountryCode: '7',
  sourceId: 'CALL',
  lineNumber: null,
  attachRecordings: true,
  addToChat: false,
  missedCallTaskText: 'Перезвонить: пропущенный звонок с {phone}',
  newContactName: 'Новый контакт {phone}',
  newLeadName: 'Звонок с {phone}',
  callFilter: { extensions: { mode: 'all', values: [] }, trunks: { mode: 'all', values: [] } },
  hooks: {},
};

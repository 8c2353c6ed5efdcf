/** What the connector reads from and writes to amoCRM, in its own (camelCase) terms. */
export type AmoEntityType = 'contacts' | 'leads' | 'companies';

export interface AmoContact {
  readonly id: number;
  readonly name: string;
  readonly responsibleUserId: number | null;
  readonly phones: readonly string[];
  readonly leadIds: readonly number[];
}

export interface AmoUser {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  readonly isActive: boolean;
}

export interface NewContact {
  readonly name: string;
  /** E.164 with `+`; stored in the PHONE field as a WORK number. */
  readonly phone: string;
  readonly responsibleUserId?: number;
}

export interface NewLead {
  readonly name: string;
  readonly contactId?: number;
  readonly responsibleUserId?: number;
  readonly pipelineId?: number;
}

/**
 * One call for POST /api/v4/calls
 * (https://www.amocrm.ru/developers/content/crm_platform/calls-api): `direction`,
 * `duration`, `source`, `phone` required; the rest optional.
 */
export interface NewCall {
  readonly direction: 'inbound' | 'outbound';
  readonly uniq: string;
  /** Talk time in seconds. */
  readonly duration: number;
  readonly source: string;
  readonly phone: string;
  readonly link?: string;
  readonly callStatus?: CallStatus;
  readonly callResult?: string;
  readonly responsibleUserId?: number;
  readonly createdBy?: number;
  /** Unix seconds. */
  readonly createdAt?: number;
}

/**
 * call_status on the calls page: 1 left a message, 2 call back later, 3 not available,
 * 4 talked, 5 wrong number, 6 did not get through, 7 busy.
 */
export type CallStatus = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export type AddedCall =
  | {
      readonly ok: true;
      readonly requestId: string;
      readonly noteId: number;
      readonly entityType: string;
      readonly entityId: number;
    }
  | { readonly ok: false; readonly requestId: string; readonly detail: string };

export interface NewTask {
  readonly text: string;
  /** Unix seconds. */
  readonly completeTill: number;
  /** 1 follow-up (Связаться), 2 meeting (tasks-api). */
  readonly taskTypeId: 1 | 2;
  readonly responsibleUserId?: number;
  readonly entityType?: AmoEntityType;
  readonly entityId?: number;
}

export interface AmoTask {
  readonly id: number;
  readonly text: string;
  readonly completeTill: number | null;
  readonly entityType: string | null;
  readonly entityId: number | null;
}

export type NewNote =
  | { readonly noteType: 'common'; readonly text: string }
  | {
      readonly noteType: 'call_in' | 'call_out';
      readonly uniq: string;
      readonly duration: number;
      readonly source: string;
      readonly link: string;
      readonly phone: string;
      readonly callStatus?: CallStatus;
      readonly callResult?: string;
    };

export interface AmoNote {
  readonly id: number;
  readonly entityId: number;
  readonly noteType: string;
  /** `params.uniq` of call notes. */
  readonly uniq: string | null;
}

/**
 * An incoming lead of category sip (https://www.amocrm.ru/developers/content/crm_platform/unsorted-api):
 * metadata from, phone, called_at, duration, link, service_code, uniq are required.
 */
export interface NewUnsortedSip {
  readonly sourceUid: string;
  readonly sourceName: string;
  readonly pipelineId?: number;
  /** Unix seconds. */
  readonly createdAt: number;
  readonly from: string;
  readonly phone: string;
  readonly calledAt: number;
  readonly duration: number;
  readonly link: string;
  readonly serviceCode: string;
  readonly uniq: string;
  /** amoCRM adds the call to the lead itself. */
  readonly isCallEventNeeded: boolean;
  readonly contactName: string;
}

export interface AddedUnsorted {
  readonly uid: string;
  readonly leadId: number | null;
  readonly contactIds: readonly number[];
}

/** Bitrix24's objects as the connector uses them (field names of the REST pages). */

export interface BitrixUser {
  readonly id: number;
  readonly name: string;
  readonly email: string | null;
  /** The user's extension, UF_PHONE_INNER (CRM-FACTS §12). */
  readonly extension: string | null;
  readonly isActive: boolean;
}

export type BitrixEntityType = 'CONTACT' | 'LEAD';

export interface BitrixEntity {
  readonly type: BitrixEntityType;
  readonly id: number;
  /** ASSIGNED_BY_ID. */
  readonly responsibleUserId: number | null;
}

/** crm.duplicate.findbycomm's answer, ids ascending (the oldest first). */
export interface BitrixMatches {
  readonly contactIds: readonly number[];
  readonly leadIds: readonly number[];
}

/** telephony.externalCall.register TYPE (CRM-FACTS §10). */
export type ExternalCallType = 1 | 2 | 3 | 4 | 5;

export interface NewExternalCall {
  readonly userId: number;
  readonly phone: string;
  /** ISO 8601 with a zone. */
  readonly startedAt: string;
  readonly type: ExternalCallType;
  readonly lineNumber: string | null;
  /** Unique per call: a repeated register with it returns the same CALL_ID (CRM-FACTS §10). */
  readonly externalCallId: string;
  readonly entity: { readonly type: BitrixEntityType; readonly id: number } | null;
  /** Whether to show the call card: a finished call's card is of no use to anybody. */
  readonly show: boolean;
}

export interface RegisteredCall {
  readonly callId: string;
  readonly entityType: string | null;
  readonly entityId: number | null;
}

export interface CallFinish {
  readonly callId: string;
  readonly userId: number;
  readonly durationSeconds: number;
  /** SIP-like code of the finish page's table: 200, 304, 486, 603, 404, 480, 503, OTHER. */
  readonly statusCode: string;
  readonly addToChat: boolean;
}

export interface NewBitrixTask {
  readonly title: string;
  readonly description: string;
  readonly responsibleId: number;
  /** ISO 8601 with a zone. */
  readonly deadline: string;
  /** UF_CRM_TASK: `C_12` for contact 12, `L_5` for lead 5. */
  readonly crmBindings: readonly string[];
}

export interface BitrixTask {
  readonly id: number;
  readonly title: string;
  readonly responsibleId: number;
  readonly deadline: string | null;
}

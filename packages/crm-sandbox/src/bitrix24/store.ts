/**
 * The portal's data as the emulated methods see it: users, CRM contacts and leads,
 * external lines, calls, tasks, notifications, event handlers and event deliveries.
 * Plain records with explicit states, so tests can read exactly what the connector did.
 */
import type { Json, JsonObject } from './params.ts';

export interface SandboxUser {
  ID: number;
  ACTIVE: boolean;
  NAME: string;
  LAST_NAME: string;
  EMAIL: string;
  /** The user's extension (user.get → UF_PHONE_INNER, CRM-FACTS #12). */
  UF_PHONE_INNER: string;
  IS_ADMIN: boolean;
}

export type MultifieldType = 'PHONE' | 'EMAIL';
export const multifieldTypes: readonly MultifieldType[] = ['PHONE', 'EMAIL'];

export interface Multifield {
  ID: number;
  TYPE_ID: MultifieldType;
  VALUE: string;
  VALUE_TYPE: string;
}

export type CrmKind = 'CONTACT' | 'LEAD';

export interface CrmRecord {
  ID: number;
  kind: CrmKind;
  /** Scalar fields as given (NAME, TITLE, ASSIGNED_BY_ID, UF_…). */
  fields: JsonObject;
  PHONE: Multifield[];
  EMAIL: Multifield[];
  DATE_CREATE: string;
  DATE_MODIFY: string;
}

export interface ExternalLine {
  ID: number;
  NUMBER: string;
  NAME: string;
  CRM_AUTO_CREATE: 'Y' | 'N';
}

/** telephony-external-call-*.md: register → (show/hide) → finish → attachRecord. */
export type CallState = 'registered' | 'finished';

export interface CallStatistic {
  ID: number;
  CALL_ID: string;
  EXTERNAL_CALL_ID: string | null;
  PORTAL_USER_ID: number;
  PHONE_NUMBER: string;
  PORTAL_NUMBER: string;
  INCOMING: string;
  CALL_DURATION: number;
  CALL_START_DATE: string;
  CALL_STATUS: number;
  CALL_VOTE: number;
  COST: number;
  COST_CURRENCY: string;
  CALL_FAILED_CODE: string;
  CALL_FAILED_REASON: string;
  REST_APP_ID: number;
  REST_APP_NAME: string;
  CRM_ACTIVITY_ID: number | null;
  COMMENT: string | null;
  CRM_ENTITY_TYPE: string | null;
  CRM_ENTITY_ID: number | null;
}

export interface AttachedRecord {
  FILE_ID: number;
  filename: string;
  /** Decoded size for FILE_CONTENT uploads; RECORD_URL is stored, not downloaded. */
  bytes: number | null;
  url: string | null;
}

export interface ExternalCall {
  CALL_ID: string;
  state: CallState;
  origin: 'rest' | 'click_to_call';
  /** The application that registered it (client_id); dedup is per application. */
  clientId: string;
  userId: number;
  phoneNumber: string;
  type: number;
  lineNumber: string | null;
  externalCallId: string | null;
  startDate: string;
  registeredAtMs: number;
  crmEntityType: CrmKind | null;
  crmEntityId: number | null;
  createdLeadId: number | null;
  shownTo: number[];
  addToChat: boolean;
  statistic: CallStatistic | null;
  records: AttachedRecord[];
  /** FILENAME given without FILE_CONTENT: the upload Bitrix24 waits for (not emulated). */
  pendingUploadFilename: string | null;
}

export interface CallActivity {
  ID: number;
  CALL_ID: string;
  OWNER_TYPE: CrmKind;
  OWNER_ID: number;
  RESPONSIBLE_ID: number;
  DIRECTION: 'incoming' | 'outgoing';
  DURATION: number;
  STATUS_CODE: string;
}

export interface SandboxTask {
  id: number;
  title: string;
  description: string;
  responsibleId: number;
  createdBy: number;
  deadline: string | null;
  createdDate: string;
  extra: JsonObject;
}

export interface SandboxNotification {
  id: number;
  userId: number;
  type: 'USER' | 'SYSTEM';
  message: string;
  fromUserId: number | null;
  tag: string | null;
}

export interface EventHandler {
  id: number;
  event: string;
  handler: string;
  clientId: string;
  userId: number;
}

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'rejected'; readonly status: number }
  | { readonly kind: 'unreachable'; readonly reason: string };

export interface EventDelivery {
  id: number;
  event: string;
  handlerId: number;
  handlerUrl: string;
  body: string;
  at: string;
  outcome: DeliveryOutcome;
}

export class Bitrix24Store {
  users = new Map<number, SandboxUser>();
  contacts = new Map<number, CrmRecord>();
  leads = new Map<number, CrmRecord>();
  lines = new Map<number, ExternalLine>();
  calls = new Map<string, ExternalCall>();
  activities: CallActivity[] = [];
  tasks: SandboxTask[] = [];
  notifications: SandboxNotification[] = [];
  eventHandlers: EventHandler[] = [];
  deliveries: EventDelivery[] = [];
  private sequences = new Map<string, number>();

  /** Back to an empty portal (ids restart at 1). */
  clear(): void {
    for (const table of [
      this.users,
      this.contacts,
      this.leads,
      this.lines,
      this.calls,
      this.sequences,
    ]) {
      table.clear();
    }
    this.activities = [];
    this.tasks = [];
    this.notifications = [];
    this.eventHandlers = [];
    this.deliveries = [];
  }

  nextId(sequence: string): number {
    const next = (this.sequences.get(sequence) ?? 0) + 1;
    this.sequences.set(sequence, next);
    return next;
  }

  crmTable(kind: CrmKind): Map<number, CrmRecord> {
    return kind === 'CONTACT' ? this.contacts : this.leads;
  }

  findUser(userId: number | undefined, inner: string | undefined): SandboxUser | undefined {
    if (userId !== undefined) return this.users.get(userId);
    if (inner === undefined || inner === '') return undefined;
    return [...this.users.values()].find((user) => user.UF_PHONE_INNER === inner);
  }

  snapshot(): JsonObject {
    const json = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;
    return {
      users: json([...this.users.values()]),
      contacts: json([...this.contacts.values()]),
      leads: json([...this.leads.values()]),
      lines: json([...this.lines.values()]),
      calls: json([...this.calls.values()]),
      activities: json(this.activities),
      tasks: json(this.tasks),
      notifications: json(this.notifications),
      eventHandlers: json(this.eventHandlers),
      deliveries: json(this.deliveries),
    };
  }
}

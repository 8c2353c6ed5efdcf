import type { JsonObject } from './json.ts';

/**
 * The sandbox's records, named and shaped after the amoCRM API v4 models
 * (https://www.amocrm.ru/developers/content/crm_platform/leads-api, contacts-api,
 * companies-api, tasks-api, events-and-notes, unsorted-api). Timestamps are Unix seconds.
 */
export type PartyKind = 'contacts' | 'companies';
export type EntityType = 'leads' | PartyKind;
export const entityTypes: readonly EntityType[] = ['leads', 'contacts', 'companies'];

/** Event and call answers name an entity in the singular. */
export const singularOf: Record<EntityType, 'lead' | 'contact' | 'company'> = {
  leads: 'lead',
  contacts: 'contact',
  companies: 'company',
};

export interface CustomFieldEnum {
  readonly id: number;
  readonly value: string;
  readonly sort: number;
}

export interface CustomFieldDef {
  readonly id: number;
  readonly name: string;
  readonly code: string | null;
  readonly type: 'multitext' | 'text' | 'numeric';
  readonly entity_type: EntityType;
  readonly enums: readonly CustomFieldEnum[];
}

export interface CustomFieldValue {
  readonly field_id: number;
  readonly field_name: string;
  readonly field_code: string | null;
  readonly field_type: string;
  readonly values: readonly { value: string | number; enum_id?: number; enum_code?: string }[];
}

export interface Tag {
  readonly id: number;
  readonly name: string;
}

export interface User {
  readonly id: number;
  name: string;
  email: string;
  lang: string;
  is_admin: boolean;
  is_active: boolean;
}

export interface PipelineStatus {
  readonly id: number;
  readonly name: string;
  readonly sort: number;
  readonly is_editable: boolean;
  readonly pipeline_id: number;
  readonly color: string;
  /** 1 = the pipeline's "unsorted" (Неразобранное) status, 0 = ordinary. */
  readonly type: 0 | 1;
}

export interface Pipeline {
  readonly id: number;
  readonly name: string;
  readonly sort: number;
  readonly is_main: boolean;
  readonly is_unsorted_on: boolean;
  readonly is_archive: boolean;
  readonly statuses: readonly PipelineStatus[];
}

/** amoCRM's fixed ids of the closing statuses in every pipeline (leads-api). */
export const WON_STATUS_ID = 142;
export const LOST_STATUS_ID = 143;

interface Timestamps {
  created_by: number;
  updated_by: number;
  created_at: number;
  updated_at: number;
}

/** A contact or a company: same fields, one record shape. */
export interface Party extends Timestamps {
  readonly kind: PartyKind;
  readonly id: number;
  name: string;
  first_name: string;
  last_name: string;
  responsible_user_id: number;
  group_id: number;
  is_unsorted: boolean;
  custom_fields_values: CustomFieldValue[];
  tags: Tag[];
  /** A contact's company (amoCRM allows one). */
  company_id: number | null;
}

export interface Lead extends Timestamps {
  readonly id: number;
  name: string;
  price: number;
  responsible_user_id: number;
  group_id: number;
  status_id: number;
  pipeline_id: number;
  closed_at: number | null;
  custom_fields_values: CustomFieldValue[];
  tags: Tag[];
  contact_ids: number[];
  main_contact_id: number | null;
  company_id: number | null;
}

export interface SipMetadata {
  readonly from: string;
  readonly phone: string;
  readonly called_at: number;
  readonly duration: number;
  readonly link: string;
  readonly service_code: string;
  readonly uniq: string;
  readonly is_call_event_needed: boolean;
}

export interface UnsortedItem {
  readonly uid: string;
  readonly source_uid: string;
  readonly source_name: string;
  readonly category: 'sip';
  readonly pipeline_id: number;
  readonly created_at: number;
  readonly metadata: SipMetadata;
  readonly lead_id: number;
  readonly contact_ids: number[];
  readonly company_ids: number[];
}

export interface Task extends Timestamps {
  readonly id: number;
  responsible_user_id: number;
  group_id: number;
  entity_id: number | null;
  entity_type: EntityType | null;
  duration: number;
  is_completed: boolean;
  task_type_id: number;
  text: string;
  result: { text: string } | null;
  complete_till: number;
}

export type NoteType = 'common' | 'call_in' | 'call_out' | 'service_message';
export const noteTypes: readonly NoteType[] = ['common', 'call_in', 'call_out', 'service_message'];

export interface Note extends Timestamps {
  readonly id: number;
  readonly entity_type: EntityType;
  readonly entity_id: number;
  responsible_user_id: number;
  group_id: number;
  readonly note_type: NoteType;
  params: JsonObject;
}

/** GET /api/v4/events items; amoCRM's event ids are strings, not numbers. */
export interface AmoEvent {
  readonly id: string;
  readonly type: string;
  readonly entity_type: EntityType;
  readonly entity_id: number;
  readonly created_by: number;
  readonly created_at: number;
  readonly value_after: JsonObject[];
  readonly value_before: JsonObject[];
}

/** An incoming-call card pushed to users' browsers (POST /api/v2/events). */
export interface CallCard {
  readonly phone_number: string;
  readonly users: number[];
  readonly created_at: number;
  readonly element_id: number | null;
  readonly element_type: EntityType | null;
}

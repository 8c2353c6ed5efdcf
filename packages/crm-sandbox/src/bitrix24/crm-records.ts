/**
 * Writing CRM contacts and leads with their multiple fields (PHONE, EMAIL), shared by the
 * crm.* methods, telephony's lead auto-creation and test seeding.
 * api-reference/crm/contacts/crm-contact-update.md ("Delete a Single Value from a Multiple
 * Field": an item with ID and DELETE=Y or an empty VALUE is removed; an item with ID is
 * changed; one without ID is added), crm-contact-get.md (the returned shape).
 */
import { asInt, isJsonObject, type Json, type JsonObject } from './params.ts';
import {
  multifieldTypes,
  type Bitrix24Store,
  type CrmKind,
  type CrmRecord,
  type Multifield,
  type MultifieldType,
} from './store.ts';
import { samePhone } from './phone.ts';

export function createCrmRecord(
  store: Bitrix24Store,
  kind: CrmKind,
  fields: JsonObject,
  now: string,
): CrmRecord {
  const record: CrmRecord = {
    ID: store.nextId(kind),
    kind,
    fields: {},
    PHONE: [],
    EMAIL: [],
    DATE_CREATE: now,
    DATE_MODIFY: now,
  };
  applyCrmFields(store, record, fields);
  store.crmTable(kind).set(record.ID, record);
  return record;
}

export function applyCrmFields(store: Bitrix24Store, record: CrmRecord, fields: JsonObject): void {
  for (const [rawKey, value] of Object.entries(fields)) {
    const key = rawKey.toUpperCase();
    const multiType = multifieldTypes.find((type) => type === key);
    if (multiType !== undefined) {
      record[multiType] = mergeMultifield(store, multiType, record[multiType], value);
    } else if (key !== 'ID') {
      record.fields[key] = value;
    }
  }
}

function mergeMultifield(
  store: Bitrix24Store,
  type: MultifieldType,
  current: readonly Multifield[],
  value: Json,
): Multifield[] {
  const items = Array.isArray(value) ? value : isJsonObject(value) ? Object.values(value) : [];
  const result = [...current];
  for (const item of items) {
    if (!isJsonObject(item)) continue;
    const id = asInt(item.ID);
    const text = typeof item.VALUE === 'string' ? item.VALUE : undefined;
    const valueType = typeof item.VALUE_TYPE === 'string' ? item.VALUE_TYPE : undefined;
    const existing = id === undefined ? -1 : result.findIndex((field) => field.ID === id);
    const remove = item.DELETE === 'Y' || text === '';
    if (existing >= 0) {
      const field = result[existing];
      if (field === undefined) continue;
      if (remove) result.splice(existing, 1);
      else
        result[existing] = {
          ...field,
          VALUE: text ?? field.VALUE,
          VALUE_TYPE: valueType ?? field.VALUE_TYPE,
        };
    } else if (!remove && text !== undefined) {
      result.push({
        ID: store.nextId('multifield'),
        TYPE_ID: type,
        VALUE: text,
        VALUE_TYPE: valueType ?? 'WORK',
      });
    }
  }
  return result;
}

/** The record as crm.contact.get / crm.lead.get return it: ids as strings. */
export function crmRecordView(record: CrmRecord): JsonObject {
  const view: JsonObject = {
    ID: String(record.ID),
    ...record.fields,
    HAS_PHONE: record.PHONE.length > 0 ? 'Y' : 'N',
    HAS_EMAIL: record.EMAIL.length > 0 ? 'Y' : 'N',
    DATE_CREATE: record.DATE_CREATE,
    DATE_MODIFY: record.DATE_MODIFY,
  };
  for (const type of multifieldTypes) {
    if (record[type].length === 0) continue;
    view[type] = record[type].map((field) => ({
      ID: String(field.ID),
      VALUE_TYPE: field.VALUE_TYPE,
      VALUE: field.VALUE,
      TYPE_ID: field.TYPE_ID,
    }));
  }
  return view;
}

export function findByPhone(store: Bitrix24Store, kind: CrmKind, phone: string): CrmRecord[] {
  return [...store.crmTable(kind).values()].filter((record) =>
    record.PHONE.some((field) => samePhone(field.VALUE, phone)),
  );
}

export function findByEmail(store: Bitrix24Store, kind: CrmKind, email: string): CrmRecord[] {
  const wanted = email.trim().toLowerCase();
  return [...store.crmTable(kind).values()].filter((record) =>
    record.EMAIL.some((field) => field.VALUE.trim().toLowerCase() === wanted),
  );
}

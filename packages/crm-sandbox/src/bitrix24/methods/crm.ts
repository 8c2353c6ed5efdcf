/**
 * crm.contact.add/get/list/update, crm.lead.add/get and crm.duplicate.findbycomm.
 * api-reference/crm/contacts/crm-contact-{add,get,list,update}.md, crm/leads/crm-lead-add.md,
 * crm/duplicates/crm-duplicate-find-by-comm.md (bitrix24/b24restdocs). CRM pages show
 * argument errors as HTTP 400 with an empty `error` and the text in `error_description`.
 */
import { formatBitrixDate } from '../dates.ts';
import {
  createCrmRecord,
  applyCrmFields,
  crmRecordView,
  findByEmail,
  findByPhone,
} from '../crm-records.ts';
import { B24Error, crmArgumentError } from '../errors.ts';
import {
  page,
  type MethodContext,
  type MethodDefinition,
  type MethodOutcome,
} from '../method-registry.ts';
import {
  isJsonObject,
  param,
  paramInt,
  paramObject,
  paramString,
  scalarText,
  type Json,
  type JsonObject,
} from '../params.ts';
import { multifieldTypes, type CrmKind, type CrmRecord } from '../store.ts';

function addMethod(name: string, kind: CrmKind): MethodDefinition {
  return {
    name,
    scope: 'crm',
    appOnly: false,
    run({ params, portal, auth }) {
      const fields = paramObject(params, 'fields');
      if (fields === undefined) throw crmArgumentError("Parameter 'fields' must be array.");
      const withOwner: JsonObject = { ASSIGNED_BY_ID: String(auth.userId), ...fields };
      const record = createCrmRecord(
        portal.store,
        kind,
        withOwner,
        formatBitrixDate(portal.clock.nowMs()),
      );
      return { result: record.ID };
    },
  };
}

function getMethod(name: string, kind: CrmKind): MethodDefinition {
  return {
    name,
    scope: 'crm',
    appOnly: false,
    run({ params, portal }) {
      const id = paramInt(params, 'id');
      if (id === undefined || id <= 0) throw crmArgumentError('ID is not defined or invalid.');
      const record = portal.store.crmTable(kind).get(id);
      if (record === undefined) throw crmArgumentError('Not found');
      return { result: crmRecordView(record) };
    },
  };
}

const contactUpdate: MethodDefinition = {
  name: 'crm.contact.update',
  scope: 'crm',
  appOnly: false,
  run({ params, portal }) {
    const id = paramInt(params, 'id');
    if (id === undefined || id <= 0) throw crmArgumentError('ID is not defined or invalid.');
    const fields = paramObject(params, 'fields');
    if (fields === undefined) throw crmArgumentError("Parameter 'fields' must be array.");
    const record = portal.store.contacts.get(id);
    if (record === undefined) throw crmArgumentError('Contact is not found');
    applyCrmFields(portal.store, record, fields);
    record.DATE_MODIFY = formatBitrixDate(portal.clock.nowMs());
    return { result: true };
  },
};

const contactList: MethodDefinition = {
  name: 'crm.contact.list',
  scope: 'crm',
  appOnly: false,
  run({ params, portal }): MethodOutcome {
    const filter = param(params, 'filter');
    if (filter !== undefined && filter !== '' && !isJsonObject(filter) && !Array.isArray(filter)) {
      throw crmArgumentError("Parameter 'filter' must be array.");
    }
    const order = param(params, 'order');
    if (order !== undefined && order !== '' && !isJsonObject(order) && !Array.isArray(order)) {
      throw crmArgumentError("Parameter 'order' must be array.");
    }
    const conditions = isJsonObject(filter) ? Object.entries(filter) : [];
    const matching = [...portal.store.contacts.values()].filter((record) =>
      conditions.every(([key, value]) => matchesCondition(record, key, value)),
    );
    sortRecords(matching, isJsonObject(order) ? order : {});
    const selected = page(matching, paramInt(params, 'start'));
    const select = selectList(param(params, 'select'));
    const result = selected.items.map((record) => project(crmRecordView(record), select));
    return {
      result,
      total: selected.total,
      ...(selected.next === undefined ? {} : { next: selected.next }),
    };
  },
};

/** `=`/none exact, `!`/`!=` not equal, `@` IN, `%` substring (crm-contact-list.md). */
function matchesCondition(record: CrmRecord, rawKey: string, wanted: Json): boolean {
  const match = /^(!=|=|!@|@|!|%)?(.*)$/.exec(rawKey);
  const operator = match?.[1] ?? '=';
  const field = (match?.[2] ?? rawKey).toUpperCase();
  const values = recordValues(record, field);
  const wantedList = Array.isArray(wanted) ? wanted.map(scalarText) : [scalarText(wanted)];
  const multi = multifieldTypes.some((type) => type === field);
  switch (operator) {
    case '@':
      return values.some((value) => wantedList.includes(value));
    case '!@':
      return !values.some((value) => wantedList.includes(value));
    case '!':
    case '!=':
      return !values.some((value) => wantedList.includes(value));
    case '%':
      // Multiple fields only filter by exact match (crm-contact-list.md).
      if (multi) return values.some((value) => wantedList.includes(value));
      return values.some((value) =>
        wantedList.some((part) => value.toLowerCase().includes(part.toLowerCase())),
      );
    default:
      return values.some((value) => wantedList.includes(value));
  }
}

function recordValues(record: CrmRecord, field: string): string[] {
  if (field === 'ID') return [String(record.ID)];
  const multiType = multifieldTypes.find((type) => type === field);
  if (multiType !== undefined) return record[multiType].map((item) => item.VALUE);
  const value = record.fields[field];
  if (value === undefined || value === null || typeof value === 'object') return [];
  return [String(value)];
}

function sortRecords(records: CrmRecord[], order: JsonObject): void {
  const keys = Object.entries(order);
  records.sort((a, b) => {
    for (const [field, direction] of keys) {
      const sign = scalarText(direction).toUpperCase() === 'DESC' ? -1 : 1;
      const left = recordValues(a, field.toUpperCase())[0] ?? '';
      const right = recordValues(b, field.toUpperCase())[0] ?? '';
      const numeric = /^\d+$/.test(left) && /^\d+$/.test(right);
      const diff = numeric ? Number(left) - Number(right) : left.localeCompare(right);
      if (diff !== 0) return diff * sign;
    }
    return a.ID - b.ID;
  });
}

function selectList(select: Json | undefined): string[] | undefined {
  if (!Array.isArray(select) || select.length === 0) return undefined;
  return select.map((item) => scalarText(item).toUpperCase());
}

/** Default and '*' give the plain fields; multiple fields only when named (crm-contact-list.md). */
function project(view: JsonObject, select: string[] | undefined): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(view)) {
    const multi = multifieldTypes.some((type) => type === key);
    const wanted =
      key === 'ID' ||
      (select === undefined ? !multi : select.includes(key) || (!multi && select.includes('*')));
    if (wanted) out[key] = value;
  }
  return out;
}

type DuplicateKind = 'LEAD' | 'CONTACT' | 'COMPANY';
const duplicateKinds: readonly DuplicateKind[] = ['LEAD', 'CONTACT', 'COMPANY'];

const findByComm: MethodDefinition = {
  name: 'crm.duplicate.findbycomm',
  scope: 'crm',
  appOnly: false,
  run({ params, portal }: MethodContext) {
    const type = paramString(params, 'type');
    if (type === undefined || type === '') {
      throw new B24Error(400, 'Communication type is not defined', "Parameter 'type' is required.");
    }
    const commType = type.toUpperCase();
    if (commType !== 'PHONE' && commType !== 'EMAIL') {
      throw new B24Error(
        400,
        `Communication type '${type}' is not supported in current context`,
        `Communication type '${type}' is not supported in current context`,
      );
    }
    const rawValues = param(params, 'values');
    const values = Array.isArray(rawValues)
      ? rawValues.filter((value): value is string => typeof value === 'string' && value !== '')
      : [];
    if (values.length === 0) {
      throw new B24Error(
        400,
        'Communication values is not defined',
        "Parameter 'values' is required.",
      );
    }
    // The page says "Maximum number of values — 20" without naming the error (docs/crm-sandbox.md).
    if (values.length > 20) throw crmArgumentError('Too many values. Maximum is 20.');
    const entityType = paramString(params, 'entity_type')?.toUpperCase();
    const kinds = duplicateKinds.filter(
      (kind) => entityType === undefined || entityType === '' || kind === entityType,
    );
    const result: JsonObject = {};
    for (const kind of kinds) {
      // The sandbox has no companies; COMPANY never matches.
      if (kind === 'COMPANY') continue;
      const ids = new Set<number>();
      for (const value of values) {
        const found =
          commType === 'PHONE'
            ? findByPhone(portal.store, kind, value)
            : findByEmail(portal.store, kind, value);
        for (const record of found) ids.add(record.ID);
      }
      if (ids.size > 0) result[kind] = [...ids].sort((a, b) => a - b);
      // "If 20 or more duplicates are found for one object, the other types are not returned."
      if (ids.size >= 20) break;
    }
    // PHP serialises an empty array as [] (no matches).
    return { result: Object.keys(result).length === 0 ? [] : result };
  },
};

export const crmMethods: readonly MethodDefinition[] = [
  addMethod('crm.contact.add', 'CONTACT'),
  getMethod('crm.contact.get', 'CONTACT'),
  contactUpdate,
  contactList,
  addMethod('crm.lead.add', 'LEAD'),
  getMethod('crm.lead.get', 'LEAD'),
  findByComm,
];

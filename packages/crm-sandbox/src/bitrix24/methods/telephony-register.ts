/**
 * telephony.externalLine.add/.get, telephony.externalCall.register, .show, .hide.
 * api-reference/telephony/telephony-external-line-add.md, -line-get.md,
 * telephony-external-call-register.md (parameters, errors, "Features of Re-registration":
 * the same PHONE_NUMBER, TYPE, user, LINE_NUMBER and EXTERNAL_CALL_ID from the same
 * application within 30 minutes give the existing CALL_ID), telephony-external-call-show.md,
 * -hide.md (bitrix24/b24restdocs). Application context only (CRM-FACTS #8).
 */
import { formatBitrixDate } from '../dates.ts';
import { createHash } from 'node:crypto';
import { createCrmRecord, findByPhone } from '../crm-records.ts';
import { coreError } from '../errors.ts';
import type { MethodDefinition, Portal } from '../method-registry.ts';
import {
  asInt,
  param,
  paramFlag,
  paramInt,
  paramString,
  type Json,
  type JsonObject,
} from '../params.ts';
import type { CrmKind, ExternalCall } from '../store.ts';

const reRegistrationWindowMs = 30 * 60 * 1000;

const lineAdd: MethodDefinition = {
  name: 'telephony.externalLine.add',
  scope: 'telephony',
  appOnly: true,
  run({ params, portal }) {
    const number = paramString(params, 'NUMBER');
    if (number === undefined || number.trim() === '') throw coreError('NUMBER should not be empty');
    const lines = portal.store.lines;
    if ([...lines.values()].some((line) => line.NUMBER === number)) {
      throw coreError('Line already exists');
    }
    const id = portal.store.nextId('line');
    const autoCreate = paramFlag(params, 'CRM_AUTO_CREATE', true) ? 'Y' : 'N';
    lines.set(id, {
      ID: id,
      NUMBER: number,
      NAME: paramString(params, 'NAME') ?? '',
      CRM_AUTO_CREATE: autoCreate,
    });
    return { result: { ID: id } };
  },
};

const lineGet: MethodDefinition = {
  name: 'telephony.externalLine.get',
  scope: 'telephony',
  appOnly: true,
  run({ portal }) {
    const result = [...portal.store.lines.values()].map((line) => ({
      NUMBER: line.NUMBER,
      NAME: line.NAME,
      CRM_AUTO_CREATE: line.CRM_AUTO_CREATE,
    }));
    return { result };
  },
};

export interface RegisterInput {
  clientId: string;
  origin: ExternalCall['origin'];
  params: JsonObject;
}

/** Shared by the REST method and the click-to-call trigger (which sends no EXTERNAL_CALL_ID). */
export function registerExternalCall(portal: Portal, input: RegisterInput): ExternalCall {
  const { params } = input;
  const userIdParam = paramInt(params, 'USER_ID');
  const inner = paramString(params, 'USER_PHONE_INNER');
  if (userIdParam === undefined && (inner === undefined || inner === '')) {
    throw coreError('USER_ID or USER_PHONE_INNER should be set');
  }
  const type = paramInt(params, 'TYPE');
  if (type === undefined || type < 1 || type > 5) throw coreError('Unknown TYPE');
  const startDateRaw = paramString(params, 'CALL_START_DATE');
  const startMs =
    startDateRaw === undefined || startDateRaw === ''
      ? portal.clock.nowMs()
      : parseIsoWithZone(startDateRaw);
  if (startMs === undefined) throw coreError('CALL_START_DATE should be in the ISO-8601 format');
  const phone = paramString(params, 'PHONE_NUMBER');
  if (phone === undefined || !/^\+?[\d\s()\-.]*\d[\d\s()\-.]*$/.test(phone.trim())) {
    throw coreError('Unsupported phone number format');
  }
  const user = portal.store.findUser(userIdParam, inner);
  if (user === undefined || !user.ACTIVE) throw coreError('User is not found or is not active');
  const lineNumber = nonEmpty(paramString(params, 'LINE_NUMBER'));
  const externalCallId = nonEmpty(paramString(params, 'EXTERNAL_CALL_ID'));

  const now = portal.clock.nowMs();
  const existing = [...portal.store.calls.values()].find(
    (call) =>
      call.clientId === input.clientId &&
      now - call.registeredAtMs < reRegistrationWindowMs &&
      call.phoneNumber === phone &&
      call.type === type &&
      call.userId === user.ID &&
      call.lineNumber === lineNumber &&
      call.externalCallId === externalCallId,
  );
  if (existing !== undefined) return existing;

  const crm = resolveCrmEntity(portal, params, phone, type, lineNumber, user.ID);
  const callId = `externalCall.${createHash('md5')
    .update(`${portal.store.nextId('call')}:${now}`)
    .digest('hex')}.${Math.floor(now / 1000)}`;
  const call: ExternalCall = {
    CALL_ID: callId,
    state: 'registered',
    origin: input.origin,
    clientId: input.clientId,
    userId: user.ID,
    phoneNumber: phone,
    type,
    lineNumber,
    externalCallId,
    startDate: new Date(startMs).toISOString(),
    registeredAtMs: now,
    crmEntityType: crm.entityType,
    crmEntityId: crm.entityId,
    createdLeadId: crm.createdLeadId,
    shownTo: paramFlag(params, 'SHOW', true) ? [user.ID] : [],
    addToChat: paramFlag(params, 'ADD_TO_CHAT', true),
    statistic: null,
    records: [],
    pendingUploadFilename: null,
  };
  portal.store.calls.set(callId, call);
  return call;
}

interface CrmBinding {
  entityType: CrmKind | null;
  entityId: number | null;
  createdLeadId: number | null;
}

function resolveCrmEntity(
  portal: Portal,
  params: JsonObject,
  phone: string,
  type: number,
  lineNumber: string | null,
  userId: number,
): CrmBinding {
  const givenType = paramString(params, 'CRM_ENTITY_TYPE')?.toUpperCase();
  const givenId = paramInt(params, 'CRM_ENTITY_ID');
  if ((givenType === 'CONTACT' || givenType === 'LEAD') && givenId !== undefined) {
    if (portal.store.crmTable(givenType).has(givenId)) {
      return { entityType: givenType, entityId: givenId, createdLeadId: null };
    }
  }
  for (const kind of ['CONTACT', 'LEAD'] as const) {
    const found = findByPhone(portal.store, kind, phone)[0];
    if (found !== undefined) return { entityType: kind, entityId: found.ID, createdLeadId: null };
  }
  // CRM_CREATE defaults to 0; for outgoing calls the line's CRM_AUTO_CREATE also decides.
  let create = paramFlag(params, 'CRM_CREATE', false);
  const line = [...portal.store.lines.values()].find((item) => item.NUMBER === lineNumber);
  if (type === 1 && line?.CRM_AUTO_CREATE === 'N') create = false;
  if (!create) return { entityType: null, entityId: null, createdLeadId: null };
  const source = paramString(params, 'CRM_SOURCE');
  const lead = createCrmRecord(
    portal.store,
    'LEAD',
    {
      TITLE: `${type === 1 ? 'Outgoing' : 'Incoming'} call ${phone}`,
      ASSIGNED_BY_ID: String(userId),
      ...(source === undefined ? {} : { SOURCE_ID: source }),
      PHONE: [{ VALUE: phone, VALUE_TYPE: 'WORK' }],
    },
    formatBitrixDate(portal.clock.nowMs()),
  );
  return { entityType: 'LEAD', entityId: lead.ID, createdLeadId: lead.ID };
}

function parseIsoWithZone(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(text))
    return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function nonEmpty(text: string | undefined): string | null {
  return text === undefined || text === '' ? null : text;
}

const callRegister: MethodDefinition = {
  name: 'telephony.externalCall.register',
  scope: 'telephony',
  appOnly: true,
  run({ params, portal, auth }) {
    const clientId = auth.kind === 'oauth' ? auth.clientId : '';
    const call = registerExternalCall(portal, { clientId, origin: 'rest', params });
    const created =
      call.createdLeadId === null ? [] : [{ ENTITY_TYPE: 'LEAD', ENTITY_ID: call.createdLeadId }];
    return {
      result: {
        CALL_ID: call.CALL_ID,
        CRM_CREATED_LEAD: call.createdLeadId,
        CRM_CREATED_ENTITIES: created,
        CRM_ENTITY_TYPE: call.crmEntityType,
        CRM_ENTITY_ID: call.crmEntityId,
      },
    };
  },
};

function userIds(value: Json | undefined, fallback: number): number[] {
  if (Array.isArray(value)) return value.map(asInt).filter((id): id is number => id !== undefined);
  return [asInt(value) ?? fallback];
}

/** show/hide answer `false` for an unknown CALL_ID (telephony-external-call-hide.md). */
function cardMethod(name: string, visible: boolean): MethodDefinition {
  return {
    name,
    scope: 'telephony',
    appOnly: true,
    run({ params, portal }) {
      const callId = paramString(params, 'CALL_ID');
      const call = callId === undefined ? undefined : portal.store.calls.get(callId);
      if (call === undefined) return { result: false };
      const ids = userIds(param(params, 'USER_ID'), call.userId);
      call.shownTo = visible
        ? [...new Set([...call.shownTo, ...ids])]
        : call.shownTo.filter((id) => !ids.includes(id));
      return { result: true };
    },
  };
}

export const telephonyRegisterMethods: readonly MethodDefinition[] = [
  lineAdd,
  lineGet,
  callRegister,
  cardMethod('telephony.externalCall.show', true),
  cardMethod('telephony.externalCall.hide', false),
];

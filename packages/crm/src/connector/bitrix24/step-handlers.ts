import type { CallRecord, CallResult } from '../../call-model.ts';
import type { Bitrix24Client } from '../../bitrix24/client.ts';
import { Bitrix24Error } from '../../bitrix24/errors.ts';
import type { BitrixEntity, BitrixEntityType, ExternalCallType } from '../../bitrix24/model.ts';
import { phoneSearchVariants } from '../../phone.ts';
import { holderMatters, type ResponsibleChoice, type ResponsibleHolder } from '../responsible.ts';
import { classifyCall, fillPhone } from '../rules.ts';
import type { StepHandler } from '../run-steps.ts';
import type { CallLinks } from '../links.ts';
import type { StepOutcome } from '../step-outcome.ts';
import type { StepResult } from '../steps.ts';
import type { Bitrix24StepName } from './plan.ts';
import type { Bitrix24Rules } from './rules.ts';

/** What the steps of one call learn as they go. */
export interface BitrixRunState {
  entity: BitrixEntity | null;
  /** The CALL_ID Bitrix24 gave the registered call. */
  callId: string | null;
  responsible: ResponsibleChoice;
}

export interface BitrixStepContext {
  readonly call: CallRecord;
  readonly rules: Bitrix24Rules;
  readonly links: CallLinks;
  readonly phone: string;
  /** EXTERNAL_CALL_ID: unique per call and connection, the same on every attempt. */
  readonly externalCallId: string;
  readonly client: Bitrix24Client;
  readonly state: BitrixRunState;
  /** The responsible as the tenant's order names them once the client's record is known. */
  readonly chooseResponsible: (holder: ResponsibleHolder | null) => ResponsibleChoice;
}

type Handler = StepHandler<BitrixStepContext, BitrixRunState>;

/** Bitrix24 wants ISO 8601 with an explicit zone (register and task pages). */
export function bitrixTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const kindOf = (type: BitrixEntityType): string => (type === 'CONTACT' ? 'contact' : 'lead');

function idOf(result: StepResult, name: string): number | null {
  const value = result[name];
  return typeof value === 'number' ? value : null;
}

/** STATUS_CODE from the finish page's table; a failed call by its Q.850 cause. */
export function statusCode(result: CallResult, cause: number | null): string {
  switch (result) {
    case 'answered':
      return '200';
    case 'missed':
      return '304';
    case 'busy':
      return '486';
    case 'failed':
      if (cause === 1) return '404';
      if (cause === 21) return '603';
      if (cause === 18 || cause === 19) return '480';
      if (cause === 34 || cause === 38 || cause === 41 || cause === 42) return '503';
      return 'OTHER';
  }
}

function callType(call: CallRecord): ExternalCallType {
  return call.direction === 'outbound' ? 1 : 2;
}

function createEntity(type: BitrixEntityType): Handler {
  return {
    writes: true,
    async run(ctx, runtime): Promise<StepOutcome> {
      const { state } = ctx;
      if (state.entity !== null) {
        const it = `${kindOf(state.entity.type)} ${state.entity.id}`;
        if (!runtime.ambiguous) return { kind: 'skipped', detail: `the client is ${it}` };
        // The interrupted attempt's request did land: find_client found what it made.
        return {
          kind: 'done',
          result: { entityId: state.entity.id },
          detail: `found ${it} of an interrupted attempt`,
        };
      }
      await runtime.beforeWrite();
      const client = ctx.client.withTrace(runtime.trace);
      const input = {
        phone: ctx.phone,
        responsibleUserId: state.responsible.userId,
        sourceId: ctx.rules.sourceId,
      };
      const id =
        type === 'CONTACT'
          ? await client.addContact({
              ...input,
              name: fillPhone(ctx.rules.newContactName, ctx.phone),
            })
          : await client.addLead({ ...input, title: fillPhone(ctx.rules.newLeadName, ctx.phone) });
      state.entity = { type, id, responsibleUserId: state.responsible.userId };
      return { kind: 'done', result: { entityId: id }, detail: `created ${kindOf(type)} ${id}` };
    },
    restore(result, state) {
      const id = idOf(result, 'entityId');
      if (id !== null && state.entity === null)
        state.entity = { type, id, responsibleUserId: state.responsible.userId };
    },
  };
}

const findClient: Handler = {
  writes: false,
  async run(ctx, runtime): Promise<StepOutcome> {
    const client = ctx.client.withTrace(runtime.trace);
    const { contactIds, leadIds } = await client.findByPhone(phoneSearchVariants(ctx.phone));
    const type: BitrixEntityType | null =
      contactIds.length > 0 ? 'CONTACT' : leadIds.length > 0 ? 'LEAD' : null;
    const ids = type === 'CONTACT' ? contactIds : leadIds;
    const id = ids[0];
    if (type === null || id === undefined) {
      ctx.state.entity = null;
      return { kind: 'done', result: {}, detail: 'no contact or lead has this number' };
    }
    // Reading the record costs one of the portal's 2 requests/s: only when it can matter.
    const responsibleUserId = holderMatters(ctx.rules, ctx.state.responsible)
      ? (await client.getEntity(type, id)).responsibleUserId
      : null;
    ctx.state.entity = { type, id, responsibleUserId };
    ctx.state.responsible = ctx.chooseResponsible({ id, responsibleUserId, kind: kindOf(type) });
    // Two records with one number: the oldest is the one the card shows first.
    const note = ids.length > 1 ? ` (${ids.length} match; the oldest is taken)` : '';
    return { kind: 'done', result: { entityId: id }, detail: `${kindOf(type)} ${id}${note}` };
  },
  restore() {},
};

const registerCall: Handler = {
  writes: true,
  async run(ctx, runtime): Promise<StepOutcome> {
    const { state, call } = ctx;
    if (!(await ctx.client.connection.isApplication()))
      return {
        kind: 'skipped',
        detail:
          'an incoming webhook cannot register calls: Bitrix24 opens the telephony methods ' +
          'only to applications (WRONG_AUTH_TYPE)',
      };
    await runtime.beforeWrite();
    // A repeated register with the same EXTERNAL_CALL_ID (an interrupted attempt's) gets
    // the same CALL_ID back within 30 minutes (register page, "re-registration").
    const registered = await ctx.client.withTrace(runtime.trace).registerCall({
      userId: state.responsible.userId,
      phone: ctx.phone,
      startedAt: bitrixTime(Date.parse(call.startedAt)),
      type: callType(call),
      lineNumber: ctx.rules.lineNumber,
      externalCallId: ctx.externalCallId,
      entity: state.entity === null ? null : { type: state.entity.type, id: state.entity.id },
      show: false,
    });
    state.callId = registered.callId;
    const on =
      registered.entityType === null
        ? 'no CRM record'
        : `${registered.entityType} ${registered.entityId ?? '-'}`;
    return {
      kind: 'done',
      result: { callId: registered.callId },
      detail: `call ${registered.callId} on ${on}`,
    };
  },
  restore(result, state) {
    const callId = result.callId;
    if (typeof callId === 'string') state.callId = callId;
  },
};

const finishCall: Handler = {
  writes: true,
  async run(ctx, runtime): Promise<StepOutcome> {
    const { state, call } = ctx;
    if (state.callId === null) return { kind: 'skipped', detail: 'the call was not registered' };
    await runtime.beforeWrite();
    const code = statusCode(call.result, call.hangupCause?.code ?? null);
    try {
      const activityId = await ctx.client.withTrace(runtime.trace).finishCall({
        callId: state.callId,
        userId: state.responsible.userId,
        durationSeconds: call.talkSeconds,
        statusCode: code,
        addToChat: ctx.rules.addToChat,
      });
      return {
        kind: 'done',
        result: { activityId },
        detail: `finished with ${code}, ${call.talkSeconds} s; activity ${activityId ?? '-'}`,
      };
    } catch (error) {
      // Bitrix24 has no code of its own for "already finished": a finish that an
      // interrupted attempt sent answers ERROR_CORE "Call is not found".
      if (
        runtime.ambiguous &&
        error instanceof Bitrix24Error &&
        error.portalCode === 'ERROR_CORE' &&
        /call is not found/i.test(error.message)
      )
        return {
          kind: 'done',
          result: { activityId: null },
          detail: 'finished by an interrupted attempt (Bitrix24: call is not found)',
        };
      throw error;
    }
  },
  restore() {},
};

const attachRecord: Handler = {
  writes: true,
  async run(ctx, runtime): Promise<StepOutcome> {
    const { state, call, links } = ctx;
    const url = links.recording(call);
    if (url === null) return { kind: 'skipped', detail: 'the call has no recording' };
    if (state.callId === null) return { kind: 'skipped', detail: 'the call was not registered' };
    // Bitrix24 shows the name; the PBX's directories (MixMonitor's full path) are no part of it.
    const fileName = (links.recordingFileName?.(call) ?? `${call.id}.wav`).split('/').at(-1) ?? '';
    if (!/\.(wav|mp3)$/i.test(fileName))
      return {
        kind: 'skipped',
        detail: `Bitrix24 takes wav and mp3 recordings only; this one is ${fileName}`,
      };
    await runtime.beforeWrite();
    // attachRecord replaces the call's earlier record: sending it again is harmless.
    const fileId = await ctx.client
      .withTrace(runtime.trace)
      .attachRecord({ callId: state.callId, fileName, url });
    return { kind: 'done', result: { fileId }, detail: `file ${fileId} (${fileName})` };
  },
  restore() {},
};

const missedCallTask: Handler = {
  writes: true,
  async run(ctx, runtime): Promise<StepOutcome> {
    const { state, call, rules } = ctx;
    const client = ctx.client.withTrace(runtime.trace);
    const dueMinutes = rules.callTypes[classifyCall(call)].missedCallTaskMinutes ?? 0;
    const deadlineMs = Date.parse(call.endedAt) + dueMinutes * 60_000;
    const title = fillPhone(rules.missedCallTaskText, ctx.phone);
    const responsibleId = state.responsible.userId;
    if (runtime.ambiguous) {
      // Within a minute: whether the portal keeps a deadline's seconds is not documented.
      const same = (await client.findTasks(title, responsibleId)).find(
        (task) =>
          task.deadline !== null && Math.abs(Date.parse(task.deadline) - deadlineMs) < 60_000,
      );
      if (same !== undefined)
        return {
          kind: 'done',
          result: { taskId: same.id },
          detail: `found task ${same.id} of an interrupted attempt`,
        };
    }
    const entity = state.entity;
    await runtime.beforeWrite();
    const id = await client.addTask({
      title,
      description: `Provod: ${call.direction === 'outbound' ? 'звонок на' : 'звонок с'} ${ctx.phone}, ${call.startedAt}`,
      responsibleId,
      deadline: bitrixTime(deadlineMs),
      crmBindings: entity === null ? [] : [`${entity.type === 'CONTACT' ? 'C' : 'L'}_${entity.id}`],
    });
    const on = entity === null ? 'no CRM record' : `${kindOf(entity.type)} ${entity.id}`;
    return {
      kind: 'done',
      result: { taskId: id },
      detail: `task ${id} on ${on} for user ${responsibleId}`,
    };
  },
  restore() {},
};

export const bitrixStepHandlers: Record<Bitrix24StepName, Handler> = {
  find_client: findClient,
  create_contact: createEntity('CONTACT'),
  create_lead: createEntity('LEAD'),
  register_call: registerCall,
  finish_call: finishCall,
  attach_record: attachRecord,
  missed_call_task: missedCallTask,
};

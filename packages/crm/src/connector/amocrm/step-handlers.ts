import type { CallRecord, CallResult } from '../../call-model.ts';
import type { CallLinks } from '../links.ts';
import type { AmoCrmClient } from '../../amocrm/client.ts';
import type { AmoContact, AmoEntityType, CallStatus, NewCall } from '../../amocrm/model.ts';
import type { StepName } from './plan.ts';
import type { ResponsibleChoice } from '../responsible.ts';
import { classifyCall, fillPhone, type AmoCrmRules } from '../rules.ts';
import type { StepOutcome } from '../step-outcome.ts';
import type { StepResult } from '../steps.ts';

/** What the steps of one call learn as they go. */
export interface RunState {
  contact: AmoContact | null;
  /** The contact is this pipeline's own (created now or by an earlier attempt). */
  contactCreatedHere: boolean;
  /** A lead this pipeline created (lead or unsorted entry), for the task. */
  leadId: number | null;
  responsible: ResponsibleChoice;
}

export interface StepContext {
  readonly call: CallRecord;
  readonly rules: AmoCrmRules;
  readonly links: CallLinks;
  readonly phone: string;
  /** The call's `uniq`: its register_call step key. */
  readonly uniq: string;
  readonly client: AmoCrmClient;
  readonly state: RunState;
  /** An earlier attempt sent this step's request and its outcome is unknown. */
  readonly ambiguous: boolean;
  /** Records the step as started; called right before its write request. */
  readonly beforeWrite: () => Promise<void>;
}

export type { StepOutcome };

export interface StepHandler {
  /** Writes are recorded in ProcessedSteps; reads run again on every attempt. */
  readonly writes: boolean;
  run(ctx: StepContext): Promise<StepOutcome>;
  /** Applies a result recorded by an earlier attempt to this attempt's state. */
  restore(result: StepResult, state: RunState, phone: string): void;
}

const unixSeconds = (iso: string): number => Math.floor(Date.parse(iso) / 1000);

/** call_status on the calls page: 4 talked, 6 did not get through, 7 busy. */
const callStatusOf: Record<CallResult, CallStatus> = {
  answered: 4,
  missed: 6,
  busy: 7,
  failed: 6,
};

function numberOf(result: StepResult, name: string): number | null {
  const value = result[name];
  return typeof value === 'number' ? value : null;
}

function ownContact(id: number, phone: string, state: RunState): void {
  if (state.contact?.id !== id)
    state.contact = { id, name: '', responsibleUserId: null, phones: [phone], leadIds: [] };
  state.contactCreatedHere = true;
}

function latestLead(contact: AmoContact | null): number | null {
  if (contact === null || contact.leadIds.length === 0) return null;
  return Math.max(...contact.leadIds);
}

export function callBody(ctx: StepContext): NewCall {
  const { call, rules, state } = ctx;
  const link = ctx.links.recording(call);
  return {
    direction: call.direction === 'outbound' ? 'outbound' : 'inbound',
    uniq: ctx.uniq,
    duration: call.talkSeconds,
    source: rules.source,
    phone: ctx.phone,
    ...(link === null ? {} : { link }),
    callStatus: callStatusOf[call.result],
    callResult: rules.callResultTexts[call.result],
    responsibleUserId: state.responsible.userId,
    createdBy: state.responsible.userId,
    createdAt: unixSeconds(call.startedAt),
  };
}

export const stepHandlers: Record<StepName, StepHandler> = {
  find_contact: {
    writes: false,
    async run(ctx): Promise<StepOutcome> {
      const found = await ctx.client.findContactsByPhone(ctx.phone);
      ctx.state.contact = found[0] ?? null;
      const first = found[0];
      if (first === undefined)
        return { kind: 'done', result: {}, detail: 'no contact has this number' };
      // Two contacts with one number: the oldest is the one amoCRM's card shows first.
      const note = found.length > 1 ? ` (${found.length} match; the oldest is taken)` : '';
      return {
        kind: 'done',
        result: { contactId: first.id },
        detail: `contact ${first.id}${note}`,
      };
    },
    restore() {},
  },

  create_contact: {
    writes: true,
    async run(ctx): Promise<StepOutcome> {
      const { state } = ctx;
      if (state.contact !== null && !state.contactCreatedHere)
        return { kind: 'skipped', detail: `the client is contact ${state.contact.id}` };
      if (state.contact !== null)
        return { kind: 'done', result: { contactId: state.contact.id }, detail: 'already created' };
      await ctx.beforeWrite();
      const id = await ctx.client.createContact({
        name: fillPhone(ctx.rules.newContactName, ctx.phone),
        phone: ctx.phone,
        responsibleUserId: state.responsible.userId,
      });
      ownContact(id, ctx.phone, state);
      return { kind: 'done', result: { contactId: id }, detail: `created contact ${id}` };
    },
    restore(result, state, phone) {
      const id = numberOf(result, 'contactId');
      if (id !== null) ownContact(id, phone, state);
    },
  },

  create_lead: {
    writes: true,
    async run(ctx): Promise<StepOutcome> {
      const { state } = ctx;
      const contact = state.contact;
      if (contact === null || !state.contactCreatedHere)
        return { kind: 'skipped', detail: 'the client was known: no new lead' };
      const earlier = ctx.ambiguous ? latestLead(contact) : null;
      if (earlier !== null) {
        state.leadId = earlier;
        return {
          kind: 'done',
          result: { leadId: earlier },
          detail: `found lead ${earlier} of an interrupted attempt`,
        };
      }
      await ctx.beforeWrite();
      const id = await ctx.client.createLead({
        name: fillPhone(ctx.rules.newLeadName, ctx.phone),
        contactId: contact.id,
        responsibleUserId: state.responsible.userId,
        ...(ctx.rules.pipelineId === null ? {} : { pipelineId: ctx.rules.pipelineId }),
      });
      state.leadId = id;
      return {
        kind: 'done',
        result: { leadId: id },
        detail: `created lead ${id} for contact ${contact.id}`,
      };
    },
    restore(result, state) {
      state.leadId = numberOf(result, 'leadId');
    },
  },

  add_unsorted: {
    writes: true,
    async run(ctx): Promise<StepOutcome> {
      const { state, call } = ctx;
      if (state.contact !== null) {
        if (!ctx.ambiguous)
          return { kind: 'skipped', detail: `the client is contact ${state.contact.id}` };
        // The interrupted attempt's unsorted entry made this contact.
        state.leadId = latestLead(state.contact);
        state.contactCreatedHere = true;
        return {
          kind: 'done',
          result: { leadId: state.leadId, contactId: state.contact.id },
          detail: `found contact ${state.contact.id} of an interrupted attempt`,
        };
      }
      await ctx.beforeWrite();
      const added = await ctx.client.addUnsortedSip({
        sourceUid: ctx.uniq,
        sourceName: ctx.rules.sourceName,
        ...(ctx.rules.pipelineId === null ? {} : { pipelineId: ctx.rules.pipelineId }),
        createdAt: unixSeconds(call.startedAt),
        from: ctx.phone,
        phone: call.calledNumber,
        calledAt: unixSeconds(call.startedAt),
        duration: call.talkSeconds,
        link: ctx.links.recording(call) ?? ctx.links.callPage(call),
        serviceCode: ctx.rules.source,
        uniq: ctx.uniq,
        // The call is registered by register_call, with its status and responsible.
        isCallEventNeeded: false,
        contactName: fillPhone(ctx.rules.newContactName, ctx.phone),
      });
      state.leadId = added.leadId;
      const contactId = added.contactIds[0] ?? null;
      if (contactId !== null) ownContact(contactId, ctx.phone, state);
      return {
        kind: 'done',
        result: { uid: added.uid, leadId: added.leadId, contactId },
        detail: `unsorted ${added.uid}: lead ${added.leadId ?? '-'}, contact ${contactId ?? '-'}`,
      };
    },
    restore(result, state, phone) {
      state.leadId = numberOf(result, 'leadId');
      const contactId = numberOf(result, 'contactId');
      if (contactId !== null) ownContact(contactId, phone, state);
    },
  },

  register_call: {
    writes: true,
    async run(ctx): Promise<StepOutcome> {
      const { state } = ctx;
      const contact = state.contact;
      if (contact === null)
        return {
          kind: 'skipped',
          detail:
            'no entity has this number and the rule creates none: amoCRM would not add the call',
        };
      if (ctx.ambiguous) {
        const leadIds = [
          ...new Set([...contact.leadIds, ...(state.leadId === null ? [] : [state.leadId])]),
        ];
        const notes = [
          ...(await ctx.client.listCallNotes('contacts', [contact.id])),
          ...(await ctx.client.listCallNotes('leads', leadIds)),
        ];
        const landed = notes.find((note) => note.uniq === ctx.uniq);
        if (landed !== undefined)
          return {
            kind: 'done',
            result: { noteId: landed.id, entityId: landed.entityId },
            detail: `found call note ${landed.id} of an interrupted attempt`,
          };
      }
      await ctx.beforeWrite();
      const [added] = await ctx.client.addCalls([callBody(ctx)]);
      if (added === undefined || !added.ok)
        return {
          kind: 'done',
          result: { noteId: null, entityId: null },
          detail: `amoCRM did not add the call: ${added?.ok === false ? added.detail : 'empty answer'}`,
        };
      return {
        kind: 'done',
        result: { noteId: added.noteId, entityId: added.entityId, entityType: added.entityType },
        detail: `call ${added.noteId} on ${added.entityType} ${added.entityId}`,
      };
    },
    restore() {},
  },

  missed_call_task: {
    writes: true,
    async run(ctx): Promise<StepOutcome> {
      const { state, call, rules } = ctx;
      const minutes = rules.callTypes[classifyCall(call)].missedCallTaskMinutes ?? 0;
      const completeTill = unixSeconds(call.endedAt) + minutes * 60;
      const text = fillPhone(rules.missedCallTaskText, ctx.phone);
      const entity: { entityType: AmoEntityType; entityId: number } | null =
        state.leadId !== null
          ? { entityType: 'leads', entityId: state.leadId }
          : state.contact !== null
            ? { entityType: 'contacts', entityId: state.contact.id }
            : null;
      if (ctx.ambiguous && entity !== null) {
        const tasks = await ctx.client.listTasks(entity.entityType, entity.entityId);
        const same = tasks.find((task) => task.text === text && task.completeTill === completeTill);
        if (same !== undefined)
          return {
            kind: 'done',
            result: { taskId: same.id },
            detail: `found task ${same.id} of an interrupted attempt`,
          };
      }
      await ctx.beforeWrite();
      const id = await ctx.client.addTask({
        text,
        completeTill,
        taskTypeId: 1,
        responsibleUserId: state.responsible.userId,
        ...(entity ?? {}),
      });
      const on = entity === null ? 'no entity' : `${entity.entityType} ${entity.entityId}`;
      return {
        kind: 'done',
        result: { taskId: id },
        detail: `task ${id} on ${on} for user ${state.responsible.userId}`,
      };
    },
    restore() {},
  },
};

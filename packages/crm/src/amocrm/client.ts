// amoCRM API v4 methods the call connector uses. Pages followed (request and answer
// shapes): contacts-api, leads-api, unsorted-api, calls-api, tasks-api, events-and-notes,
// account-info (users) under https://www.amocrm.ru/developers/content/crm_platform/, and
// the v2 call card https://www.kommo.com/developers/content/telephony/ (CRM-FACTS §5).
// Transport, pacing, tokens and error reading are AmoConnection's.
import { lastTenDigits, samePhone } from '../phone.ts';
import type { RequestHookPoint, RequestRewrite } from '../connector/hooks.ts';
import type { TraceSink } from '../http/exchange.ts';
import type { AmoConnection } from './connection.ts';
import { AmoCrmError } from './errors.ts';
import {
  embeddedList,
  hasNextPage,
  isRecord,
  optionalInt,
  optionalString,
  phoneValues,
  requireId,
  type JsonRecord,
} from './hal.ts';
import type {
  AddedCall,
  AddedUnsorted,
  AmoContact,
  AmoEntityType,
  AmoNote,
  AmoTask,
  AmoUser,
  NewCall,
  NewContact,
  NewLead,
  NewNote,
  NewTask,
  NewUnsortedSip,
} from './model.ts';

function compact(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}

function readContact(record: JsonRecord): AmoContact {
  const embedded = isRecord(record._embedded) ? record._embedded : {};
  const leads = Array.isArray(embedded.leads) ? embedded.leads.filter(isRecord) : [];
  return {
    id: requireId(record, 'contact'),
    name: optionalString(record, 'name') ?? '',
    responsibleUserId: optionalInt(record, 'responsible_user_id'),
    phones: phoneValues(record),
    leadIds: leads.map((lead) => requireId(lead, 'lead')),
  };
}

function firstId(body: unknown, name: string): number {
  const first = embeddedList(body, name)[0];
  if (first === undefined) throw new AmoCrmError('bad_response', `no ${name} in the answer`);
  return requireId(first, name);
}

const pageLimit = 250;

/** The writes a tenant's hook may change or cancel (connector/hooks.ts). */
const hookedPaths: Readonly<Record<string, RequestHookPoint>> = {
  '/api/v4/contacts': 'entity',
  '/api/v4/leads': 'entity',
  '/api/v4/leads/unsorted/sip': 'entity',
  '/api/v4/calls': 'registration',
  '/api/v4/tasks': 'missedCallTask',
};

export class AmoCrmClient {
  /** `trace` receives every request this client makes (one client per call's pipeline). */
  constructor(
    private readonly connection: AmoConnection,
    private readonly trace?: TraceSink,
    private readonly rewrite?: RequestRewrite,
  ) {}

  /** A client on the same account that records into another trace. */
  withTrace(trace: TraceSink): AmoCrmClient {
    return new AmoCrmClient(this.connection, trace, this.rewrite);
  }

  /** A client whose writes pass through the tenant's request hooks first. */
  withHooks(rewrite: RequestRewrite): AmoCrmClient {
    return new AmoCrmClient(this.connection, this.trace, rewrite);
  }

  private call(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown): Promise<unknown> {
    const point = method === 'POST' ? hookedPaths[path] : undefined;
    const sent =
      point === undefined || this.rewrite === undefined ? body : this.rewrite(point, body);
    return this.connection.request(method, path, sent, this.trace);
  }

  /**
   * Contacts whose PHONE field is this number by amoCRM's own rule (last 10 digits).
   * `query` searches all filled fields as a substring, so the answer is filtered again
   * here; the last 10 digits are the query because a stored "8 916…" and a searched
   * "+7 916…" share only those.
   */
  async findContactsByPhone(phone: string): Promise<AmoContact[]> {
    const digits = lastTenDigits(phone);
    if (digits.length < 10) return [];
    const found: AmoContact[] = [];
    for (let page = 1; ; page += 1) {
      const query = new URLSearchParams({
        query: digits,
        with: 'leads',
        limit: String(pageLimit),
        page: String(page),
      });
      const body = await this.call('GET', `/api/v4/contacts?${query.toString()}`);
      found.push(...embeddedList(body, 'contacts').map(readContact));
      if (!hasNextPage(body)) break;
    }
    return found
      .filter((contact) => contact.phones.some((stored) => samePhone(stored, phone)))
      .sort((a, b) => a.id - b.id);
  }

  async getContact(id: number): Promise<AmoContact | null> {
    const body = await this.call('GET', `/api/v4/contacts/${id}?with=leads`);
    return isRecord(body) ? readContact(body) : null;
  }

  async createContact(contact: NewContact): Promise<number> {
    const body = await this.call('POST', '/api/v4/contacts', [
      compact({
        name: contact.name,
        responsible_user_id: contact.responsibleUserId,
        custom_fields_values: [
          { field_code: 'PHONE', values: [{ value: contact.phone, enum_code: 'WORK' }] },
        ],
      }),
    ]);
    return firstId(body, 'contacts');
  }

  async createLead(lead: NewLead): Promise<number> {
    const body = await this.call('POST', '/api/v4/leads', [
      compact({
        name: lead.name,
        responsible_user_id: lead.responsibleUserId,
        pipeline_id: lead.pipelineId,
        _embedded:
          lead.contactId === undefined
            ? undefined
            : { contacts: [{ id: lead.contactId, is_main: true }] },
      }),
    ]);
    return firstId(body, 'leads');
  }

  async addUnsortedSip(item: NewUnsortedSip): Promise<AddedUnsorted> {
    const body = await this.call('POST', '/api/v4/leads/unsorted/sip', [
      compact({
        source_uid: item.sourceUid,
        source_name: item.sourceName,
        pipeline_id: item.pipelineId,
        created_at: item.createdAt,
        metadata: {
          from: item.from,
          phone: item.phone,
          called_at: item.calledAt,
          duration: item.duration,
          link: item.link,
          service_code: item.serviceCode,
          uniq: item.uniq,
          is_call_event_needed: item.isCallEventNeeded,
        },
        _embedded: {
          contacts: [
            {
              name: item.contactName,
              custom_fields_values: [
                { field_code: 'PHONE', values: [{ value: item.from, enum_code: 'WORK' }] },
              ],
            },
          ],
        },
      }),
    ]);
    const first = embeddedList(body, 'unsorted')[0];
    const uid = first === undefined ? null : optionalString(first, 'uid');
    if (first === undefined || uid === null)
      throw new AmoCrmError('bad_response', 'no unsorted item in the answer');
    const lead = embeddedList(first, 'leads')[0];
    return {
      uid,
      leadId: lead === undefined ? null : requireId(lead, 'lead'),
      contactIds: embeddedList(first, 'contacts').map((contact) => requireId(contact, 'contact')),
    };
  }

  /**
   * POST /api/v4/calls. amoCRM attaches each call to the number's single active lead, else
   * its contact/company; a number with no entity gets no call (an `errors` item), and
   * `uniq` is not de-duplicated (CRM-FACTS §4).
   */
  async addCalls(calls: readonly NewCall[]): Promise<AddedCall[]> {
    const body = await this.call(
      'POST',
      '/api/v4/calls',
      calls.map((call, index) =>
        compact({
          direction: call.direction,
          uniq: call.uniq,
          duration: call.duration,
          source: call.source,
          phone: call.phone,
          link: call.link,
          call_status: call.callStatus,
          call_result: call.callResult,
          responsible_user_id: call.responsibleUserId,
          created_by: call.createdBy,
          created_at: call.createdAt,
          request_id: String(index),
        }),
      ),
    );
    const added: AddedCall[] = embeddedList(body, 'calls').map((item) => ({
      ok: true,
      requestId: optionalString(item, 'request_id') ?? '',
      noteId: requireId(item, 'call'),
      entityType: optionalString(item, 'entity_type') ?? '',
      entityId: optionalInt(item, 'entity_id') ?? 0,
    }));
    const errors = isRecord(body) && Array.isArray(body.errors) ? body.errors.filter(isRecord) : [];
    for (const error of errors) {
      added.push({
        ok: false,
        requestId: optionalString(error, 'request_id') ?? '',
        detail: optionalString(error, 'detail') ?? optionalString(error, 'title') ?? 'not added',
      });
    }
    return added;
  }

  async addTask(task: NewTask): Promise<number> {
    const body = await this.call('POST', '/api/v4/tasks', [
      compact({
        text: task.text,
        complete_till: task.completeTill,
        task_type_id: task.taskTypeId,
        responsible_user_id: task.responsibleUserId,
        entity_type: task.entityType,
        entity_id: task.entityId,
      }),
    ]);
    return firstId(body, 'tasks');
  }

  /** Open tasks of one entity (to find a task an earlier, interrupted attempt created). */
  async listTasks(entityType: AmoEntityType, entityId: number): Promise<AmoTask[]> {
    const query = new URLSearchParams({
      'filter[entity_type]': entityType,
      'filter[entity_id]': String(entityId),
      limit: String(pageLimit),
    });
    const body = await this.call('GET', `/api/v4/tasks?${query.toString()}`);
    return embeddedList(body, 'tasks').map((task) => ({
      id: requireId(task, 'task'),
      text: optionalString(task, 'text') ?? '',
      completeTill: optionalInt(task, 'complete_till'),
      entityType: optionalString(task, 'entity_type'),
      entityId: optionalInt(task, 'entity_id'),
    }));
  }

  async addNote(entityType: AmoEntityType, entityId: number, note: NewNote): Promise<number> {
    const params =
      note.noteType === 'common'
        ? { text: note.text }
        : compact({
            uniq: note.uniq,
            duration: note.duration,
            source: note.source,
            link: note.link,
            phone: note.phone,
            call_status: note.callStatus,
            call_result: note.callResult,
          });
    const body = await this.call('POST', `/api/v4/${entityType}/${entityId}/notes`, [
      { note_type: note.noteType, params },
    ]);
    return firstId(body, 'notes');
  }

  /** Call notes (call_in, call_out) of some entities: how a call that landed is recognised. */
  async listCallNotes(entityType: AmoEntityType, entityIds: readonly number[]): Promise<AmoNote[]> {
    if (entityIds.length === 0) return [];
    const query = new URLSearchParams({ 'filter[note_type]': 'call_in,call_out', limit: '250' });
    for (const id of entityIds) query.append('filter[entity_id][]', String(id));
    const body = await this.call('GET', `/api/v4/${entityType}/notes?${query.toString()}`);
    return embeddedList(body, 'notes').map((note) => {
      const params = isRecord(note.params) ? note.params : {};
      return {
        id: requireId(note, 'note'),
        entityId: optionalInt(note, 'entity_id') ?? 0,
        noteType: optionalString(note, 'note_type') ?? '',
        uniq: optionalString(params, 'uniq'),
      };
    });
  }

  /** Every user of the account, page by page (for mapping extensions by e-mail). */
  async listUsers(): Promise<AmoUser[]> {
    const users: AmoUser[] = [];
    for (let page = 1; ; page += 1) {
      const body = await this.call('GET', `/api/v4/users?page=${page}&limit=${pageLimit}`);
      for (const user of embeddedList(body, 'users')) {
        const rights = isRecord(user.rights) ? user.rights : {};
        users.push({
          id: requireId(user, 'user'),
          name: optionalString(user, 'name') ?? '',
          email: optionalString(user, 'email'),
          isActive: rights.is_active !== false,
        });
      }
      if (!hasNextPage(body)) break;
    }
    return users;
  }

  /**
   * The incoming-call card in the users' browsers: POST /api/v2/events with
   * `{"add":[{"type":"phone_call","phone_number":"…","users":[ids]}]}` (CRM-FACTS §5).
   */
  async showIncomingCall(phone: string, userIds: readonly number[]): Promise<void> {
    await this.call('POST', '/api/v2/events', {
      add: [{ type: 'phone_call', phone_number: phone, users: [...userIds] }],
    });
  }
}

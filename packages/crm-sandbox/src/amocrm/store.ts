import type { SandboxClock } from '../common/clock.ts';
import { phoneField, phonesOf } from './custom-fields.ts';
import type { JsonObject } from './json.ts';
import {
  LOST_STATUS_ID,
  WON_STATUS_ID,
  type AmoEvent,
  type CallCard,
  type CustomFieldValue,
  type EntityType,
  type Lead,
  type Note,
  type NoteType,
  type Party,
  type PartyKind,
  type Pipeline,
  type Task,
  type UnsortedItem,
  type User,
} from './model.ts';
import { samePhone } from './phone.ts';

export interface AccountInfo {
  readonly id: number;
  readonly name: string;
  readonly subdomain: string;
}

export interface SeedUser {
  readonly name: string;
  readonly email?: string;
  readonly is_admin?: boolean;
}

export interface SeedParty {
  readonly name: string;
  readonly phones?: readonly string[];
  readonly responsible_user_id?: number;
  readonly company_id?: number;
}

export interface SeedLead {
  readonly name: string;
  readonly price?: number;
  readonly status_id?: number;
  readonly pipeline_id?: number;
  readonly contact_ids?: readonly number[];
  readonly company_id?: number;
}

export interface PartyInput {
  readonly name?: string;
  readonly first_name?: string;
  readonly last_name?: string;
  readonly responsible_user_id?: number;
  readonly created_by?: number;
  readonly created_at?: number;
  readonly custom_fields_values: CustomFieldValue[];
  readonly tags: readonly string[];
  readonly company_id?: number;
  readonly is_unsorted?: boolean;
}

export type LeadInput = Omit<SeedLead, 'contact_ids'> & {
  readonly responsible_user_id?: number;
  readonly created_by?: number;
  readonly created_at?: number;
  readonly contact_ids: readonly number[];
  readonly main_contact_id?: number;
  readonly custom_fields_values: CustomFieldValue[];
  readonly tags: readonly string[];
};

export type TaskInput = Omit<Task, 'id' | 'updated_by' | 'updated_at' | 'group_id'>;

/** Which event type a note produces in GET /api/v4/events (events-and-notes, "Типы событий"). */
const eventTypeOfNote: Record<NoteType, string> = {
  common: 'common_note_added',
  call_in: 'incoming_call',
  call_out: 'outgoing_call',
  service_message: 'service_note_added',
};

/**
 * Everything one sandboxed amoCRM account holds. Routes validate and present; the store
 * owns ids, timestamps, links between entities and the event log those writes produce.
 */
export class AmoStore {
  readonly users = new Map<number, User>();
  readonly contacts = new Map<number, Party>();
  readonly companies = new Map<number, Party>();
  readonly leads = new Map<number, Lead>();
  readonly tasks = new Map<number, Task>();
  readonly notes = new Map<number, Note>();
  unsorted: UnsortedItem[] = [];
  events: AmoEvent[] = [];
  callCards: CallCard[] = [];
  pipelines: Pipeline[] = [];
  private nextIds = new Map<string, number>();

  constructor(
    readonly account: AccountInfo,
    private readonly clock: SandboxClock,
  ) {
    this.reset();
  }

  /** Back to a fresh account: one admin user and one pipeline with an unsorted status. */
  reset(): void {
    for (const map of [
      this.users,
      this.contacts,
      this.companies,
      this.leads,
      this.tasks,
      this.notes,
    ])
      map.clear();
    this.unsorted = [];
    this.events = [];
    this.callCards = [];
    this.nextIds = new Map();
    this.addUser({ name: 'Администратор', email: 'admin@example.com', is_admin: true });
    const pipelineId = this.nextId('pipeline', 7000001);
    const status = (id: number, name: string, sort: number, type: 0 | 1, editable = true) => ({
      id,
      name,
      sort,
      is_editable: editable,
      pipeline_id: pipelineId,
      color: '#99ccff',
      type,
    });
    this.pipelines = [
      {
        id: pipelineId,
        name: 'Воронка',
        sort: 1,
        is_main: true,
        is_unsorted_on: true,
        is_archive: false,
        statuses: [
          status(this.nextId('status', 8000001), 'Неразобранное', 10, 1, false),
          status(this.nextId('status'), 'Первичный контакт', 20, 0),
          status(this.nextId('status'), 'Переговоры', 30, 0),
          status(WON_STATUS_ID, 'Успешно реализовано', 10000, 0, false),
          status(LOST_STATUS_ID, 'Закрыто и не реализовано', 11000, 0, false),
        ],
      },
    ];
  }

  now(): number {
    return this.clock.nowSeconds();
  }

  nextId(kind: string, start = 1): number {
    const id = this.nextIds.get(kind) ?? start;
    this.nextIds.set(kind, id + 1);
    return id;
  }

  defaultUserId(): number {
    const first = this.users.keys().next();
    return first.done === true ? 0 : first.value;
  }

  mainPipeline(): Pipeline {
    const main = this.pipelines.find((pipeline) => pipeline.is_main) ?? this.pipelines[0];
    if (main === undefined) throw new Error('the sandbox account has no pipeline');
    return main;
  }

  /** The first ordinary (not unsorted, not closing) status of a pipeline. */
  firstOpenStatus(pipeline: Pipeline): number {
    const open = pipeline.statuses.find(
      (status) => status.type === 0 && status.id !== WON_STATUS_ID && status.id !== LOST_STATUS_ID,
    );
    return open?.id ?? WON_STATUS_ID;
  }

  parties(kind: PartyKind): Map<number, Party> {
    return kind === 'contacts' ? this.contacts : this.companies;
  }

  entityExists(type: EntityType, id: number): boolean {
    return type === 'leads' ? this.leads.has(id) : this.parties(type).has(id);
  }

  addUser(seed: SeedUser): User {
    const id = this.nextId('user', 5000001);
    const user: User = {
      id,
      name: seed.name,
      email: seed.email ?? `user${id}@example.com`,
      lang: 'ru',
      is_admin: seed.is_admin ?? false,
      is_active: true,
    };
    this.users.set(id, user);
    return user;
  }

  addParty(kind: PartyKind, input: PartyInput): Party {
    const now = this.now();
    const createdBy = input.created_by ?? this.defaultUserId();
    const name = input.name ?? [input.first_name, input.last_name].filter((part) => part).join(' ');
    const party: Party = {
      kind,
      id: this.nextId(kind, kind === 'contacts' ? 20000001 : 30000001),
      name,
      first_name: input.first_name ?? '',
      last_name: input.last_name ?? '',
      responsible_user_id: input.responsible_user_id ?? this.defaultUserId(),
      group_id: 0,
      created_by: createdBy,
      updated_by: createdBy,
      created_at: input.created_at ?? now,
      updated_at: now,
      is_unsorted: input.is_unsorted ?? false,
      custom_fields_values: input.custom_fields_values,
      tags: input.tags.map((tag) => ({ id: this.nextId('tag', 900001), name: tag })),
      company_id: input.company_id ?? null,
    };
    this.parties(kind).set(party.id, party);
    if (!party.is_unsorted)
      this.recordEvent(
        kind === 'contacts' ? 'contact_added' : 'company_added',
        kind,
        party.id,
        createdBy,
        [],
      );
    return party;
  }

  seedParty(kind: PartyKind, seed: SeedParty): Party {
    return this.addParty(kind, {
      name: seed.name,
      responsible_user_id: seed.responsible_user_id,
      custom_fields_values: phoneField(kind, seed.phones ?? []),
      tags: [],
      company_id: seed.company_id,
    });
  }

  addLead(input: LeadInput): Lead {
    const now = this.now();
    const pipeline =
      this.pipelines.find((candidate) => candidate.id === input.pipeline_id) ?? this.mainPipeline();
    const createdBy = input.created_by ?? this.defaultUserId();
    const statusId = input.status_id ?? this.firstOpenStatus(pipeline);
    const lead: Lead = {
      id: this.nextId('lead', 40000001),
      name: input.name,
      price: input.price ?? 0,
      responsible_user_id: input.responsible_user_id ?? this.defaultUserId(),
      group_id: 0,
      status_id: statusId,
      pipeline_id: pipeline.id,
      closed_at: statusId === WON_STATUS_ID || statusId === LOST_STATUS_ID ? now : null,
      created_by: createdBy,
      updated_by: createdBy,
      created_at: input.created_at ?? now,
      updated_at: now,
      custom_fields_values: input.custom_fields_values,
      tags: input.tags.map((tag) => ({ id: this.nextId('tag', 900001), name: tag })),
      contact_ids: [...input.contact_ids],
      main_contact_id: input.main_contact_id ?? input.contact_ids[0] ?? null,
      company_id: input.company_id ?? null,
    };
    this.leads.set(lead.id, lead);
    this.recordEvent('lead_added', 'leads', lead.id, createdBy, []);
    return lead;
  }

  seedLead(seed: SeedLead): Lead {
    return this.addLead({
      ...seed,
      contact_ids: seed.contact_ids ?? [],
      custom_fields_values: [],
      tags: [],
    });
  }

  /** Leads linked to a contact or company. */
  leadsOf(kind: PartyKind, id: number): Lead[] {
    return [...this.leads.values()].filter((lead) =>
      kind === 'contacts' ? lead.contact_ids.includes(id) : lead.company_id === id,
    );
  }

  isActive(lead: Lead): boolean {
    return lead.status_id !== WON_STATUS_ID && lead.status_id !== LOST_STATUS_ID;
  }

  /** Contacts first, then companies, whose PHONE field has the same last 10 digits. */
  findPartiesByPhone(phone: string): Party[] {
    return [...this.contacts.values(), ...this.companies.values()].filter((party) =>
      phonesOf(party.custom_fields_values).some((stored) => samePhone(stored, phone)),
    );
  }

  addNote(
    entityType: EntityType,
    entityId: number,
    noteType: NoteType,
    params: JsonObject,
    createdBy?: number,
    createdAt?: number,
  ): Note {
    const now = this.now();
    const author = createdBy ?? this.defaultUserId();
    const note: Note = {
      id: this.nextId('note', 60000001),
      entity_type: entityType,
      entity_id: entityId,
      created_by: author,
      updated_by: author,
      created_at: createdAt ?? now,
      updated_at: now,
      responsible_user_id: author,
      group_id: 0,
      note_type: noteType,
      params,
    };
    this.notes.set(note.id, note);
    this.recordEvent(eventTypeOfNote[noteType], entityType, entityId, author, [
      { note: { id: note.id } },
    ]);
    return note;
  }

  addTask(input: TaskInput): Task {
    const task: Task = {
      ...input,
      id: this.nextId('task', 50000001),
      group_id: 0,
      updated_by: input.created_by,
      updated_at: this.now(),
    };
    this.tasks.set(task.id, task);
    if (task.entity_type !== null && task.entity_id !== null) {
      this.recordEvent('task_added', task.entity_type, task.entity_id, task.created_by, [
        { task: { id: task.id } },
      ]);
    }
    return task;
  }

  recordEvent(
    type: string,
    entityType: EntityType,
    entityId: number,
    createdBy: number,
    valueAfter: JsonObject[],
  ): AmoEvent {
    // Event ids are opaque strings in amoCRM (e.g. "01drbfj5a8k9zd60bgg907a6w9").
    const serial = this.nextId('event', 1).toString(36).padStart(24, '0');
    const event: AmoEvent = {
      id: `01${serial}`,
      type,
      entity_type: entityType,
      entity_id: entityId,
      created_by: createdBy,
      created_at: this.now(),
      value_after: valueAfter,
      value_before: [],
    };
    this.events.push(event);
    return event;
  }
}

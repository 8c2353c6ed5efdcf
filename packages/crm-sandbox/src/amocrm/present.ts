import type { Json, JsonObject } from './json.ts';
import {
  singularOf,
  type AmoEvent,
  type Lead,
  type Note,
  type Party,
  type Pipeline,
  type Task,
  type UnsortedItem,
  type User,
} from './model.ts';
import type { AmoStore } from './store.ts';

/**
 * Records → the JSON amoCRM answers, with `_links.self` and `_embedded` as on the
 * contacts-api, leads-api, tasks-api, events-and-notes and leads-pipelines pages.
 */
export class Presenter {
  constructor(
    private readonly store: AmoStore,
    private readonly origin: string,
  ) {}

  link(path: string): JsonObject {
    return { self: { href: `${this.origin}${path}` } };
  }

  ref(path: string, id: number, extra: JsonObject = {}): JsonObject {
    return { id, ...extra, _links: this.link(`${path}/${id}`) };
  }

  /** The answer to a batch add: `_embedded.<name>[{id, request_id, …, _links}]` in request order. */
  created(
    name: 'leads' | 'tasks' | 'contacts' | 'companies',
    ids: readonly number[],
    requestIds: readonly string[],
    extra: JsonObject = {},
  ): JsonObject {
    const path = `/api/v4/${name}`;
    const refs = ids.map((id, index) =>
      this.ref(path, id, { request_id: requestIds[index] ?? String(index), ...extra }),
    );
    return { _links: this.link(path), _embedded: { [name]: refs } };
  }

  /** What an unsorted entry holds, as links (`_embedded` of unsorted answers). */
  unsortedEmbedded(item: UnsortedItem): JsonObject {
    return {
      leads: [this.ref('/api/v4/leads', item.lead_id)],
      contacts: item.contact_ids.map((id) => this.ref('/api/v4/contacts', id)),
      companies: item.company_ids.map((id) => this.ref('/api/v4/companies', id)),
    };
  }

  party(party: Party, withs: ReadonlySet<string>): JsonObject {
    const path = `/api/v4/${party.kind}`;
    const embedded: JsonObject = {
      tags: party.tags.map((tag) => ({ id: tag.id, name: tag.name, color: null })),
    };
    if (party.kind === 'contacts') {
      embedded.companies =
        party.company_id === null ? [] : [this.ref('/api/v4/companies', party.company_id)];
    } else if (withs.has('contacts')) {
      embedded.contacts = [...this.store.contacts.values()]
        .filter((contact) => contact.company_id === party.id)
        .map((contact) => this.ref('/api/v4/contacts', contact.id));
    }
    if (withs.has('leads')) {
      embedded.leads = this.store
        .leadsOf(party.kind, party.id)
        .map((lead) => this.ref('/api/v4/leads', lead.id));
    }
    const body: JsonObject = {
      id: party.id,
      name: party.name,
      ...(party.kind === 'contacts'
        ? { first_name: party.first_name, last_name: party.last_name }
        : {}),
      responsible_user_id: party.responsible_user_id,
      group_id: party.group_id,
      created_by: party.created_by,
      updated_by: party.updated_by,
      created_at: party.created_at,
      updated_at: party.updated_at,
      closest_task_at: null,
      is_deleted: false,
      ...(party.kind === 'contacts' ? { is_unsorted: party.is_unsorted } : {}),
      custom_fields_values:
        party.custom_fields_values.length === 0 ? null : customFields(party.custom_fields_values),
      account_id: this.store.account.id,
      _links: this.link(`${path}/${party.id}`),
      _embedded: embedded,
    };
    return body;
  }

  lead(lead: Lead, withs: ReadonlySet<string>): JsonObject {
    const embedded: JsonObject = {
      tags: lead.tags.map((tag) => ({ id: tag.id, name: tag.name, color: null })),
      companies: lead.company_id === null ? [] : [this.ref('/api/v4/companies', lead.company_id)],
    };
    if (withs.has('contacts')) {
      embedded.contacts = lead.contact_ids.map((id) =>
        this.ref('/api/v4/contacts', id, { is_main: id === lead.main_contact_id }),
      );
    }
    return {
      id: lead.id,
      name: lead.name,
      price: lead.price,
      responsible_user_id: lead.responsible_user_id,
      group_id: lead.group_id,
      status_id: lead.status_id,
      pipeline_id: lead.pipeline_id,
      loss_reason_id: null,
      created_by: lead.created_by,
      updated_by: lead.updated_by,
      created_at: lead.created_at,
      updated_at: lead.updated_at,
      closed_at: lead.closed_at,
      closest_task_at: null,
      is_deleted: false,
      custom_fields_values:
        lead.custom_fields_values.length === 0 ? null : customFields(lead.custom_fields_values),
      score: null,
      account_id: this.store.account.id,
      labor_cost: null,
      _links: this.link(`/api/v4/leads/${lead.id}`),
      _embedded: embedded,
    };
  }

  task(task: Task): JsonObject {
    return {
      id: task.id,
      created_by: task.created_by,
      updated_by: task.updated_by,
      created_at: task.created_at,
      updated_at: task.updated_at,
      responsible_user_id: task.responsible_user_id,
      group_id: task.group_id,
      entity_id: task.entity_id,
      entity_type: task.entity_type,
      duration: task.duration,
      is_completed: task.is_completed,
      task_type_id: task.task_type_id,
      text: task.text,
      result: task.result === null ? [] : { text: task.result.text },
      complete_till: task.complete_till,
      account_id: this.store.account.id,
      _links: this.link(`/api/v4/tasks/${task.id}`),
    };
  }

  note(note: Note): JsonObject {
    return {
      id: note.id,
      entity_id: note.entity_id,
      created_by: note.created_by,
      updated_by: note.updated_by,
      created_at: note.created_at,
      updated_at: note.updated_at,
      responsible_user_id: note.responsible_user_id,
      group_id: note.group_id,
      note_type: note.note_type,
      params: note.params,
      account_id: this.store.account.id,
      _links: this.link(`/api/v4/${note.entity_type}/${note.entity_id}/notes/${note.id}`),
    };
  }

  event(event: AmoEvent): JsonObject {
    return {
      id: event.id,
      type: event.type,
      entity_id: event.entity_id,
      entity_type: singularOf[event.entity_type],
      created_by: event.created_by,
      created_at: event.created_at,
      value_after: event.value_after,
      value_before: event.value_before,
      account_id: this.store.account.id,
      _links: this.link(`/api/v4/events/${event.id}`),
      _embedded: { entity: this.ref(`/api/v4/${event.entity_type}`, event.entity_id) },
    };
  }

  user(user: User): JsonObject {
    return {
      id: user.id,
      name: user.name,
      email: user.email,
      lang: user.lang,
      rights: {
        is_admin: user.is_admin,
        is_free: false,
        is_active: user.is_active,
        group_id: null,
        role_id: null,
      },
      _links: this.link(`/api/v4/users/${user.id}`),
    };
  }

  pipeline(pipeline: Pipeline): JsonObject {
    const path = `/api/v4/leads/pipelines/${pipeline.id}`;
    return {
      id: pipeline.id,
      name: pipeline.name,
      sort: pipeline.sort,
      is_main: pipeline.is_main,
      is_unsorted_on: pipeline.is_unsorted_on,
      is_archive: pipeline.is_archive,
      account_id: this.store.account.id,
      _links: this.link(path),
      _embedded: {
        statuses: pipeline.statuses.map((status) => ({
          ...status,
          account_id: this.store.account.id,
          _links: this.link(`${path}/statuses/${status.id}`),
        })),
      },
    };
  }
}

function customFields(values: Party['custom_fields_values']): Json {
  return values.map((field) => ({
    field_id: field.field_id,
    field_name: field.field_name,
    field_code: field.field_code,
    field_type: field.field_type,
    values: field.values.map((value) => ({ ...value })),
  }));
}

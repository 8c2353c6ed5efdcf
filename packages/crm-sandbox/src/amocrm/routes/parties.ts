// Contacts and companies: list (with `query`), get, add (array body), update.
// Followed: https://www.amocrm.ru/developers/content/crm_platform/contacts-api and
// https://www.amocrm.ru/developers/content/crm_platform/companies-api — `query` "searches
// the entity's filled fields", `limit` ≤ 250, `with=leads` (and `with=contacts` for
// companies), `_embedded.companies` of a contact, add answers
// `_embedded.contacts[{id, request_id, _links}]`, PATCH /api/v4/contacts (array with ids)
// and PATCH /api/v4/contacts/{id}; GET /api/v4/{contacts|companies}/custom_fields from
// https://www.amocrm.ru/developers/content/crm_platform/custom-fields.
import type { FastifyRequest } from 'fastify';
import { fieldsOf, readCustomFields } from '../custom-fields.ts';
import type { JsonObject } from '../json.ts';
import type { CustomFieldValue, Party, PartyKind } from '../model.ts';
import {
  entityAtIdParam,
  pageCollection,
  queryInts,
  queryList,
  queryOf,
  readPage,
  withOf,
} from '../paging.ts';
import { phoneMatchesQuery } from '../phone.ts';
import { idNotFound, sendHal, sendHalOrNoContent, sendNoContent } from '../problem.ts';
import type { PartyInput } from '../store.ts';
import { readBatch, ItemReader } from '../validate.ts';
import {
  checkExtraFields,
  presenterFor,
  readEmbeddedIds,
  readTagNames,
  readUserId,
  type RouteContext,
} from './context.ts';

const partyFields = [
  'id',
  'name',
  'first_name',
  'last_name',
  'responsible_user_id',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'custom_fields_values',
  '_embedded',
  'request_id',
];

function readPartyInput(ctx: RouteContext, kind: PartyKind, reader: ItemReader): PartyInput {
  checkExtraFields(ctx, reader, partyFields);
  const companies =
    kind === 'contacts'
      ? readEmbeddedIds(reader, 'companies', (id) => ctx.store.companies.has(id))
      : [];
  return {
    name: reader.string('name'),
    first_name: kind === 'contacts' ? reader.string('first_name') : undefined,
    last_name: kind === 'contacts' ? reader.string('last_name') : undefined,
    responsible_user_id: readUserId(ctx, reader, 'responsible_user_id'),
    created_by: readUserId(ctx, reader, 'created_by'),
    created_at: reader.int('created_at'),
    custom_fields_values: readCustomFields(reader, kind),
    tags: readTagNames(reader),
    company_id: companies[0]?.id,
  };
}

function matchesQuery(party: Party, query: string): boolean {
  const needle = query.toLowerCase();
  const texts = [party.name, party.first_name, party.last_name];
  if (texts.some((text) => text.toLowerCase().includes(needle))) return true;
  return party.custom_fields_values.some((field) =>
    field.values.some((value) => {
      const stored = String(value.value);
      return (
        stored.toLowerCase().includes(needle) ||
        (field.field_code === 'PHONE' && phoneMatchesQuery(stored, query))
      );
    }),
  );
}

/** PATCH replaces the values of the fields it names and keeps the others. */
function mergeFields(current: CustomFieldValue[], patch: CustomFieldValue[]): CustomFieldValue[] {
  const patched = new Set(patch.map((field) => field.field_id));
  return [...current.filter((field) => !patched.has(field.field_id)), ...patch];
}

export function partyRoutes(ctx: RouteContext, kind: PartyKind): void {
  const { app, store } = ctx;
  const base = `/api/v4/${kind}`;
  const parties = store.parties(kind);

  app.get(base, async (request, reply) => {
    const query = queryOf(request);
    const present = presenterFor(ctx, request);
    const text = queryList(query, 'query')[0];
    const ids = queryInts(query, 'filter[id]');
    const withs = withOf(query);
    const items = [...parties.values()]
      .filter((party) => text === undefined || matchesQuery(party, text))
      .filter((party) => ids.length === 0 || ids.includes(party.id))
      .map((party) => present.party(party, withs));
    const body = pageCollection(request, kind, items, readPage(query));
    return sendHalOrNoContent(reply, body);
  });

  app.get(`${base}/custom_fields`, async (request, reply) => {
    const present = presenterFor(ctx, request);
    const items: JsonObject[] = fieldsOf(kind).map((def) => ({
      id: def.id,
      name: def.name,
      code: def.code,
      type: def.type,
      entity_type: def.entity_type,
      is_predefined: def.code !== null,
      enums: def.enums.length === 0 ? null : def.enums.map((item) => ({ ...item })),
      _links: present.link(`${base}/custom_fields/${def.id}`),
    }));
    const body = pageCollection(request, 'custom_fields', items, readPage(queryOf(request)));
    return sendHalOrNoContent(reply, body);
  });

  app.get(`${base}/:id`, async (request, reply) => {
    const party = entityAtIdParam(request, parties);
    if (party === undefined) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).party(party, withOf(queryOf(request))));
  });

  app.post(base, async (request, reply) => {
    const { items, requestIds } = readBatch(request.body, (reader) =>
      readPartyInput(ctx, kind, reader),
    );
    const ids = items.map((input) => store.addParty(kind, input).id);
    const present = presenterFor(ctx, request);
    return sendHal(reply, present.created(kind, ids, requestIds, { is_deleted: false }));
  });

  function applyUpdate(party: Party, input: PartyInput): void {
    if (input.name !== undefined) party.name = input.name;
    if (input.first_name !== undefined) party.first_name = input.first_name;
    if (input.last_name !== undefined) party.last_name = input.last_name;
    if (input.responsible_user_id !== undefined)
      party.responsible_user_id = input.responsible_user_id;
    if (input.company_id !== undefined) party.company_id = input.company_id;
    party.custom_fields_values = mergeFields(
      party.custom_fields_values,
      input.custom_fields_values,
    );
    party.updated_at = store.now();
  }

  function updated(request: FastifyRequest, party: Party, requestId?: string): JsonObject {
    return presenterFor(ctx, request).ref(base, party.id, {
      name: party.name,
      updated_at: party.updated_at,
      ...(requestId === undefined ? {} : { request_id: requestId }),
    });
  }

  app.patch(base, async (request, reply) => {
    const { items, requestIds } = readBatch(request.body, (reader) => {
      const id = reader.int('id', true, 1);
      if (id !== undefined && !parties.has(id)) reader.notFound('id');
      return { id, input: readPartyInput(ctx, kind, reader) };
    });
    const result = items.flatMap(({ id, input }, index) => {
      const party = id === undefined ? undefined : parties.get(id);
      if (party === undefined) return [];
      applyUpdate(party, input);
      return [updated(request, party, requestIds[index])];
    });
    return sendHal(reply, {
      _links: presenterFor(ctx, request).link(base),
      _embedded: { [kind]: result },
    });
  });

  app.patch(`${base}/:id`, async (request, reply) => {
    const party = entityAtIdParam(request, parties);
    if (party === undefined) {
      throw idNotFound();
    }
    const { items } = readBatch([request.body], (reader) => readPartyInput(ctx, kind, reader));
    const input = items[0];
    if (input !== undefined) applyUpdate(party, input);
    return sendHal(reply, updated(request, party));
  });
}

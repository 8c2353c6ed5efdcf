// GET /api/v4/events[/{id}] and POST /api/v2/events (incoming-call card).
// Followed: https://www.amocrm.ru/developers/content/crm_platform/events-and-notes —
// `limit` at most 100, string event ids, filter[id], filter[type], filter[entity]
// (lead|contact|company), filter[entity_id], filter[created_at] (timestamp or
// [from]/[to]), 204 when nothing matches, `_embedded.events`; event types the sandbox
// itself produces: lead_added, contact_added, company_added, incoming_call,
// outgoing_call, common_note_added, service_note_added, task_added.
// POST /api/v2/events: https://www.kommo.com/developers/content/telephony/ (phone_call
// notification: `{"add":[{"type":"phone_call","phone_number":"…","users":[ids]}]}`, users
// omitted → every user); its answer body is not documented — see docs/crm-sandbox.md.
import { isJsonObject, type Json, type JsonObject } from '../json.ts';
import { singularOf, type AmoEvent } from '../model.ts';
import { pageCollection, queryInts, queryList, queryOf, readPage, type Query } from '../paging.ts';
import { AmoProblem, sendHal, sendNoContent, sendHalOrNoContent } from '../problem.ts';
import { readBatch } from '../validate.ts';
import { presenterFor, type RouteContext } from './context.ts';

function createdAtRange(query: Query): { from: number; to: number } {
  const single = queryInts(query, 'filter[created_at]');
  const from = queryInts(query, 'filter[created_at][from]')[0] ?? single[0] ?? 0;
  const to = queryInts(query, 'filter[created_at][to]')[0] ?? single[1] ?? Number.MAX_SAFE_INTEGER;
  return { from, to };
}

export function eventRoutes(ctx: RouteContext): void {
  const { app, store } = ctx;

  app.get('/api/v4/events', async (request, reply) => {
    const query = queryOf(request);
    const present = presenterFor(ctx, request);
    const ids = queryList(query, 'filter[id]');
    const types = queryList(query, 'filter[type]');
    const entities = queryList(query, 'filter[entity]');
    const entityIds = queryInts(query, 'filter[entity_id]');
    const range = createdAtRange(query);
    const keep = (event: AmoEvent): boolean =>
      (ids.length === 0 || ids.includes(event.id)) &&
      (types.length === 0 || types.includes(event.type)) &&
      (entities.length === 0 || entities.includes(singularOf[event.entity_type])) &&
      (entityIds.length === 0 || entityIds.includes(event.entity_id)) &&
      event.created_at >= range.from &&
      event.created_at <= range.to;
    // Newest first, as the account's event feed shows them.
    const items = [...store.events]
      .reverse()
      .filter(keep)
      .map((event) => present.event(event));
    const body = pageCollection(request, 'events', items, readPage(query, 100));
    return sendHalOrNoContent(reply, body);
  });

  app.get('/api/v4/events/:id', async (request, reply) => {
    const { id } = request.params as { id: string };
    const event = store.events.find((candidate) => candidate.id === id);
    if (event === undefined) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).event(event));
  });

  app.post('/api/v2/events', async (request, reply) => {
    const body = request.body;
    if (!isJsonObject(body) || !Array.isArray(body.add)) {
      throw new AmoProblem(400, 'Bad Request', 'The body must be {"add": [...]}');
    }
    const { items } = readBatch(body.add, (reader) => {
      reader.choice('type', ['phone_call'] as const, true);
      const phone = reader.string('phone_number', true) ?? '';
      const users = (reader.array('users') ?? []).flatMap((user: Json, index) => {
        if (typeof user === 'number' && store.users.has(user)) return [user];
        reader.fail(
          `users.${index}`,
          'NotSupportedChoice',
          'The value you selected is not a valid choice.',
        );
        return [];
      });
      return { phone, users };
    });
    const answered: JsonObject[] = items.map((item) => {
      const party = store.findPartiesByPhone(item.phone)[0];
      const card = {
        phone_number: item.phone,
        users: item.users.length > 0 ? item.users : [...store.users.keys()],
        created_at: store.now(),
        element_id: party?.id ?? null,
        element_type: party?.kind ?? null,
      };
      store.callCards.push(card);
      // API v2 names entity types by number: 1 contact, 3 company (v2 notes page).
      const elementType =
        card.element_type === null ? null : card.element_type === 'contacts' ? 1 : 3;
      return {
        phone_number: card.phone_number,
        element_id: card.element_id,
        element_type: elementType,
      };
    });
    return sendHal(reply, {
      _links: { self: { href: '/api/v2/events', method: 'post' } },
      _embedded: { items: answered },
    });
  });
}

// POST /api/v4/calls — log calls into the card found by phone.
// Followed: https://www.amocrm.ru/developers/content/crm_platform/calls-api and
// https://kommo.com/developers/content/api_v4/adding-calls — a JSON array; direction
// (inbound|outbound), duration, source, phone required; uniq, link, call_result,
// call_status (1–7), responsible_user_id, created_by, created_at optional. The phone is
// searched by its last 10 digits; a contact/company with exactly one active lead gets the
// call in the lead, otherwise in the contact/company card; with no entity "the call will
// not be added". Nothing is de-duplicated by uniq. The answer's per-call
// `_embedded.calls[{id, entity_id, entity_type, account_id, request_id, _embedded.entity}]`
// matches what the vendor's PHP client reads (amocrm/amocrm-api-php EntitiesServices/Calls.php);
// the shape of the `errors` entry for a number with no entity is not documented — see
// docs/crm-sandbox.md.
import { compact, type JsonObject } from '../json.ts';
import { singularOf, type EntityType } from '../model.ts';
import { sendHal } from '../problem.ts';
import { readBatch } from '../validate.ts';
import { checkExtraFields, presenterFor, readUserId, type RouteContext } from './context.ts';
import { callStatuses } from './notes.ts';

const callFields = [
  'direction',
  'uniq',
  'duration',
  'source',
  'link',
  'phone',
  'call_result',
  'call_status',
  'responsible_user_id',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'request_id',
];

interface CallTarget {
  readonly entityType: EntityType;
  readonly entityId: number;
}

export function callRoutes(ctx: RouteContext): void {
  const { app, store } = ctx;

  /** The algorithm on the calls page, contacts before companies. */
  function findTarget(phone: string): CallTarget | undefined {
    const party = store.findPartiesByPhone(phone)[0];
    if (party === undefined) return undefined;
    const active = store.leadsOf(party.kind, party.id).filter((lead) => store.isActive(lead));
    const lead = active.length === 1 ? active[0] : undefined;
    return lead === undefined
      ? { entityType: party.kind, entityId: party.id }
      : { entityType: 'leads', entityId: lead.id };
  }

  app.post('/api/v4/calls', async (request, reply) => {
    const { items, requestIds } = readBatch(request.body, (reader) => {
      checkExtraFields(ctx, reader, callFields);
      const callStatus = reader.int('call_status', false, 1);
      if (callStatus !== undefined && !callStatuses.includes(callStatus))
        reader.notSupported('call_status');
      const responsible = readUserId(ctx, reader, 'responsible_user_id');
      return {
        direction: reader.choice('direction', ['inbound', 'outbound'] as const, true) ?? 'inbound',
        duration: reader.int('duration', true) ?? 0,
        source: reader.string('source', true) ?? '',
        phone: reader.string('phone', true) ?? '',
        params: compact({
          uniq: reader.string('uniq'),
          link: reader.string('link'),
          call_result: reader.string('call_result'),
          call_status: callStatus,
          call_responsible: responsible,
        }),
        createdBy: readUserId(ctx, reader, 'created_by') ?? responsible,
        createdAt: reader.int('created_at'),
      };
    });
    const present = presenterFor(ctx, request);
    const calls: JsonObject[] = [];
    const errors: JsonObject[] = [];
    items.forEach((call, index) => {
      const requestId = requestIds[index] ?? String(index);
      const target = findTarget(call.phone);
      if (target === undefined) {
        errors.push({
          request_id: requestId,
          title: 'Not Found',
          type: 'https://httpstatus.es/404',
          status: 404,
          detail: `No contact or company with phone ${call.phone}`,
        });
        return;
      }
      const params: JsonObject = {
        ...call.params,
        duration: call.duration,
        source: call.source,
        phone: call.phone,
      };
      const noteType = call.direction === 'inbound' ? 'call_in' : 'call_out';
      const note = store.addNote(
        target.entityType,
        target.entityId,
        noteType,
        params,
        call.createdBy,
        call.createdAt,
      );
      calls.push({
        id: note.id,
        entity_id: target.entityId,
        entity_type: singularOf[target.entityType],
        account_id: store.account.id,
        request_id: requestId,
        _embedded: { entity: present.ref(`/api/v4/${target.entityType}`, target.entityId) },
      });
    });
    return sendHal(reply, { _total_items: calls.length, errors, _embedded: { calls } });
  });
}

// Notes: POST/GET /api/v4/{entity_type}/{id}/notes, POST/GET /api/v4/{entity_type}/notes,
// GET /api/v4/{entity_type}/notes/{id}. Followed:
// https://www.amocrm.ru/developers/content/crm_platform/events-and-notes ("Примечания",
// "Типы примечаний") and https://kommo.com/developers/content/api_v4/events-and-notes —
// call_in / call_out params uniq, duration, source, link, phone (required) and
// call_result, call_status (optional); common takes params.text; service_message takes
// params.service and params.text. The add answer lists
// `_embedded.notes[{id, entity_id, request_id, _links}]`.
import type { FastifyRequest } from 'fastify';
import { compact, type JsonObject } from '../json.ts';
import { entityTypes, noteTypes, type EntityType, type Note, type NoteType } from '../model.ts';
import {
  entityAtIdParam,
  idParam,
  pageCollection,
  queryInts,
  queryList,
  queryOf,
  readPage,
} from '../paging.ts';
import { sendHal, sendNoContent, sendHalOrNoContent } from '../problem.ts';
import { readBatch, type ItemReader } from '../validate.ts';
import { checkExtraFields, presenterFor, readUserId, type RouteContext } from './context.ts';

const noteFields = [
  'entity_id',
  'note_type',
  'params',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'responsible_user_id',
  'request_id',
  'is_need_to_trigger_digital_pipeline',
];

/** call_status values on the calls page: 1 left a message … 7 line busy. */
export const callStatuses = [1, 2, 3, 4, 5, 6, 7];

function readCallParams(params: ItemReader): JsonObject {
  const callStatus = params.int('call_status', false, 1);
  if (callStatus !== undefined && !callStatuses.includes(callStatus))
    params.notSupported('call_status');
  return compact({
    uniq: params.string('uniq', true),
    duration: params.int('duration', true),
    source: params.string('source', true),
    link: params.string('link', true),
    phone: params.string('phone', true),
    call_result: params.string('call_result'),
    call_status: callStatus,
    call_responsible: params.int('call_responsible', false, 1),
  });
}

function readParams(reader: ItemReader, noteType: NoteType | undefined): JsonObject {
  const params = reader.nested('params', true);
  if (params === undefined || noteType === undefined) return {};
  switch (noteType) {
    case 'common':
      return compact({ text: params.string('text', true) });
    case 'service_message':
      return compact({
        service: params.string('service', true),
        text: params.string('text', true),
      });
    case 'call_in':
    case 'call_out':
      return readCallParams(params);
  }
}

export function noteRoutes(ctx: RouteContext): void {
  for (const entityType of entityTypes) registerFor(ctx, entityType);
}

function registerFor(ctx: RouteContext, entityType: EntityType): void {
  const { app, store } = ctx;
  const base = `/api/v4/${entityType}`;

  function add(request: FastifyRequest, pathEntityId: number | undefined): JsonObject {
    const { items, requestIds } = readBatch(request.body, (reader) => {
      checkExtraFields(ctx, reader, noteFields);
      const entityId = pathEntityId ?? reader.int('entity_id', true, 1);
      if (entityId !== undefined && !store.entityExists(entityType, entityId))
        reader.notFound('entity_id');
      const noteType = reader.choice<NoteType>('note_type', noteTypes, true);
      return {
        entityId: entityId ?? 0,
        noteType: noteType ?? 'common',
        params: readParams(reader, noteType),
        createdBy:
          readUserId(ctx, reader, 'created_by') ?? readUserId(ctx, reader, 'responsible_user_id'),
        createdAt: reader.int('created_at'),
      };
    });
    const present = presenterFor(ctx, request);
    const created = items.map((item, index) => {
      const note = store.addNote(
        entityType,
        item.entityId,
        item.noteType,
        item.params,
        item.createdBy,
        item.createdAt,
      );
      return {
        id: note.id,
        entity_id: note.entity_id,
        request_id: requestIds[index] ?? String(index),
        _links: present.link(`${base}/${note.entity_id}/notes/${note.id}`),
      };
    });
    return { _links: present.link(`${base}/notes`), _embedded: { notes: created } };
  }

  function list(request: FastifyRequest, entityIds: number[]): JsonObject | undefined {
    const query = queryOf(request);
    const types = queryList(query, 'filter[note_type]');
    const ids = queryInts(query, 'filter[id]');
    const keep = (note: Note): boolean =>
      note.entity_type === entityType &&
      (entityIds.length === 0 || entityIds.includes(note.entity_id)) &&
      (types.length === 0 || types.includes(note.note_type)) &&
      (ids.length === 0 || ids.includes(note.id));
    const present = presenterFor(ctx, request);
    const items = [...store.notes.values()].filter(keep).map((note) => present.note(note));
    return pageCollection(request, 'notes', items, readPage(query));
  }

  app.post(`${base}/notes`, async (request, reply) => sendHal(reply, add(request, undefined)));

  app.get(`${base}/notes`, async (request, reply) => {
    const body = list(request, queryInts(queryOf(request), 'filter[entity_id]'));
    return sendHalOrNoContent(reply, body);
  });

  app.get(`${base}/notes/:id`, async (request, reply) => {
    const note = entityAtIdParam(request, store.notes);
    if (note === undefined || note.entity_type !== entityType) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).note(note));
  });

  app.post(`${base}/:id/notes`, async (request, reply) => {
    // An id in the path that is not a number can name no entity; the batch reader then
    // reports entity_id as not found for every item.
    return sendHal(reply, add(request, idParam(request) ?? -1));
  });

  app.get(`${base}/:id/notes`, async (request, reply) => {
    const entityId = idParam(request);
    if (entityId === undefined || !store.entityExists(entityType, entityId))
      return sendNoContent(reply);
    const body = list(request, [entityId]);
    return sendHalOrNoContent(reply, body);
  });
}

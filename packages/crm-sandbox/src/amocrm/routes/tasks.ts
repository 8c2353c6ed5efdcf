// Tasks: POST/GET /api/v4/tasks, GET/PATCH /api/v4/tasks/{id}.
// Followed: https://www.amocrm.ru/developers/content/crm_platform/tasks-api — `text` and
// `complete_till` (Unix time) are required, task types 1 "Связаться" (follow-up) and
// 2 "Встреча" (meeting), entity_type one of leads/contacts/companies/customers with
// entity_id, filters filter[entity_type], filter[entity_id], filter[is_completed],
// filter[responsible_user_id], filter[task_type], filter[id]; completing a task is a
// PATCH with is_completed and result.text.
import type { EntityType, Task } from '../model.ts';
import { entityTypes } from '../model.ts';
import {
  entityAtIdParam,
  pageCollection,
  queryInts,
  queryList,
  queryOf,
  readPage,
} from '../paging.ts';
import { idNotFound, sendHal, sendHalOrNoContent, sendNoContent } from '../problem.ts';
import { readBatch, type ItemReader } from '../validate.ts';
import { taskTypes } from './account.ts';
import { checkExtraFields, presenterFor, readUserId, type RouteContext } from './context.ts';

const taskFields = [
  'id',
  'responsible_user_id',
  'entity_id',
  'entity_type',
  'is_completed',
  'task_type_id',
  'text',
  'duration',
  'complete_till',
  'result',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'request_id',
];

function readTaskTypeId(reader: ItemReader): number | undefined {
  const id = reader.int('task_type_id', false, 1);
  if (id !== undefined && !taskTypes.some((type) => type.id === id))
    reader.notSupported('task_type_id');
  return id;
}

function readResult(reader: ItemReader): { text: string } | undefined {
  const text = reader.nested('result')?.string('text', true);
  return text === undefined ? undefined : { text };
}

export function taskRoutes(ctx: RouteContext): void {
  const { app, store } = ctx;

  app.post('/api/v4/tasks', async (request, reply) => {
    const { items, requestIds } = readBatch(request.body, (reader) => {
      checkExtraFields(ctx, reader, taskFields);
      const entityType = reader.choice<EntityType>('entity_type', entityTypes);
      const entityId = reader.int('entity_id', entityType !== undefined, 1);
      if (entityId !== undefined && entityType === undefined) reader.missing('entity_type');
      if (
        entityId !== undefined &&
        entityType !== undefined &&
        !store.entityExists(entityType, entityId)
      ) {
        reader.notFound('entity_id');
      }
      const createdBy = readUserId(ctx, reader, 'created_by') ?? store.defaultUserId();
      const result = readResult(reader);
      return {
        text: reader.string('text', true) ?? '',
        complete_till: reader.int('complete_till', true) ?? 0,
        task_type_id: readTaskTypeId(reader) ?? 1,
        responsible_user_id:
          readUserId(ctx, reader, 'responsible_user_id') ?? store.defaultUserId(),
        entity_type: entityType ?? null,
        entity_id: entityId ?? null,
        duration: reader.int('duration') ?? 0,
        is_completed: reader.bool('is_completed') ?? false,
        result: result ?? null,
        created_by: createdBy,
        created_at: reader.int('created_at') ?? store.now(),
      };
    });
    const ids = items.map((input) => store.addTask(input).id);
    return sendHal(reply, presenterFor(ctx, request).created('tasks', ids, requestIds));
  });

  app.get('/api/v4/tasks', async (request, reply) => {
    const query = queryOf(request);
    const present = presenterFor(ctx, request);
    const entityType = queryList(query, 'filter[entity_type]')[0];
    const entityIds = queryInts(query, 'filter[entity_id]');
    const completed = queryList(query, 'filter[is_completed]')[0];
    const responsible = queryInts(query, 'filter[responsible_user_id]');
    const types = queryInts(query, 'filter[task_type]');
    const ids = queryInts(query, 'filter[id]');
    const keep = (task: Task): boolean =>
      (entityType === undefined || task.entity_type === entityType) &&
      (entityIds.length === 0 || (task.entity_id !== null && entityIds.includes(task.entity_id))) &&
      (completed === undefined ||
        task.is_completed === (completed === '1' || completed === 'true')) &&
      (responsible.length === 0 || responsible.includes(task.responsible_user_id)) &&
      (types.length === 0 || types.includes(task.task_type_id)) &&
      (ids.length === 0 || ids.includes(task.id));
    const items = [...store.tasks.values()].filter(keep).map((task) => present.task(task));
    const body = pageCollection(request, 'tasks', items, readPage(query));
    return sendHalOrNoContent(reply, body);
  });

  app.get('/api/v4/tasks/:id', async (request, reply) => {
    const task = entityAtIdParam(request, store.tasks);
    if (task === undefined) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).task(task));
  });

  app.patch('/api/v4/tasks/:id', async (request, reply) => {
    const task = entityAtIdParam(request, store.tasks);
    if (task === undefined) {
      throw idNotFound();
    }
    const { items } = readBatch([request.body], (reader) => {
      checkExtraFields(ctx, reader, taskFields);
      return {
        text: reader.string('text'),
        complete_till: reader.int('complete_till'),
        task_type_id: readTaskTypeId(reader),
        is_completed: reader.bool('is_completed'),
        result: readResult(reader),
        responsible_user_id: readUserId(ctx, reader, 'responsible_user_id'),
      };
    });
    const patch = items[0];
    if (patch !== undefined) {
      if (patch.text !== undefined) task.text = patch.text;
      if (patch.complete_till !== undefined) task.complete_till = patch.complete_till;
      if (patch.task_type_id !== undefined) task.task_type_id = patch.task_type_id;
      if (patch.is_completed !== undefined) task.is_completed = patch.is_completed;
      if (patch.result !== undefined) task.result = patch.result;
      if (patch.responsible_user_id !== undefined)
        task.responsible_user_id = patch.responsible_user_id;
      task.updated_at = store.now();
    }
    return sendHal(
      reply,
      presenterFor(ctx, request).ref('/api/v4/tasks', task.id, { updated_at: task.updated_at }),
    );
  });
}

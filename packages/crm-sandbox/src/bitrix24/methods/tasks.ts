/**
 * tasks.task.add: fields.TITLE and fields.RESPONSIBLE_ID required; the answer is
 * `{"task":{…}}` in camelCase. tasks.task.list: `{"tasks":[…]}`, 50 a page, newest first,
 * filtered by ID, TITLE (without % or _ the sandbox compares the whole title, ignoring
 * case), RESPONSIBLE_ID and CREATED_BY; other filter keys are ignored.
 * api-reference/tasks/tasks-task-add.md, tasks-task-list.md (bitrix24/b24restdocs).
 */
import { formatBitrixDate } from '../dates.ts';
import { B24Error, coreError } from '../errors.ts';
import type { MethodDefinition } from '../method-registry.ts';
import { page } from '../method-registry.ts';
import { asInt, paramInt, paramObject, scalarText, type JsonObject } from '../params.ts';
import type { SandboxTask } from '../store.ts';

const taskAdd: MethodDefinition = {
  name: 'tasks.task.add',
  scope: 'task',
  appOnly: false,
  run({ params, portal, auth }) {
    const fields = paramObject(params, 'fields');
    if (fields === undefined || Object.keys(fields).length === 0) {
      throw new B24Error(
        400,
        '100',
        'Could not find value for parameter {fields} (internal error)',
      );
    }
    const upper: JsonObject = {};
    for (const [key, value] of Object.entries(fields)) upper[key.toUpperCase()] = value;
    const title = typeof upper.TITLE === 'string' ? upper.TITLE.trim() : '';
    // The page's example error text carries an HTML line break.
    if (title === '') throw coreError('Task title is not specified<br>');
    const responsibleId = asInt(upper.RESPONSIBLE_ID);
    if (responsibleId === undefined) throw coreError('Responsible person not specified<br>');
    if (!portal.store.users.has(responsibleId)) {
      throw coreError('User specified in the "Responsible" field not found<br>');
    }
    const now = formatBitrixDate(portal.clock.nowMs());
    const task = {
      id: portal.store.nextId('task'),
      title,
      description: typeof upper.DESCRIPTION === 'string' ? upper.DESCRIPTION : '',
      responsibleId,
      createdBy: asInt(upper.CREATED_BY) ?? auth.userId,
      deadline: typeof upper.DEADLINE === 'string' ? upper.DEADLINE : null,
      createdDate: now,
      extra: upper,
    };
    portal.store.tasks.push(task);
    return { result: { task: taskView(task) } };
  },
};

function taskView(task: SandboxTask): JsonObject {
  return {
    id: String(task.id),
    title: task.title,
    description: task.description,
    responsibleId: String(task.responsibleId),
    createdBy: String(task.createdBy),
    createdDate: task.createdDate,
    deadline: task.deadline,
    status: '2',
  };
}

function matchesFilter(task: SandboxTask, filter: JsonObject): boolean {
  return Object.entries(filter).every(([rawKey, wanted]) => {
    const key = rawKey.toUpperCase();
    const text = scalarText(wanted);
    switch (key) {
      case 'ID':
        return String(task.id) === text;
      case 'TITLE':
        return task.title.toLowerCase() === text.toLowerCase();
      case 'RESPONSIBLE_ID':
        return String(task.responsibleId) === text;
      case 'CREATED_BY':
        return String(task.createdBy) === text;
      default:
        return true;
    }
  });
}

const taskList: MethodDefinition = {
  name: 'tasks.task.list',
  scope: 'task',
  appOnly: false,
  run({ params, portal }) {
    const filter = paramObject(params, 'filter') ?? {};
    const tasks = portal.store.tasks
      .filter((task) => matchesFilter(task, filter))
      .sort((a, b) => b.id - a.id);
    const selected = page(tasks, paramInt(params, 'start'));
    return {
      result: { tasks: selected.items.map(taskView) },
      total: selected.total,
      ...(selected.next === undefined ? {} : { next: selected.next }),
    };
  },
};

export const taskMethods: readonly MethodDefinition[] = [taskAdd, taskList];

import type { RequestHookPoint, RequestRewrite } from '../connector/hooks.ts';
import type { TraceSink } from '../http/exchange.ts';
import type { BitrixResult } from './answer.ts';
import type { BitrixParams, Bitrix24Connection } from './connection.ts';
import { Bitrix24Error } from './errors.ts';
import type {
  BitrixEntity,
  BitrixEntityType,
  BitrixMatches,
  BitrixTask,
  BitrixUser,
  CallFinish,
  NewBitrixTask,
  NewExternalCall,
  RegisteredCall,
} from './model.ts';

type Fields = Record<string, unknown>;

function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bitrix24 sends ids as strings or numbers, depending on the method. */
function idOf(value: unknown): number | null {
  const id = typeof value === 'string' ? Number(value) : value;
  return typeof id === 'number' && Number.isInteger(id) && id > 0 ? id : null;
}

function ids(value: unknown): number[] {
  return Array.isArray(value)
    ? value
        .map(idOf)
        .filter((id): id is number => id !== null)
        .sort((a, b) => a - b)
    : [];
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function malformed(method: string, what: string): Bitrix24Error {
  return new Bitrix24Error('bad_response', `${method}: ${what}`, { method });
}

const flag = (value: boolean): number => (value ? 1 : 0);

/** The writes a tenant's hook may change or cancel (connector/hooks.ts). */
const hookedMethods: Readonly<Record<string, RequestHookPoint>> = {
  'crm.contact.add': 'entity',
  'crm.lead.add': 'entity',
  'telephony.externalCall.register': 'registration',
  'telephony.externalCall.finish': 'finish',
  'tasks.task.add': 'missedCallTask',
};

/**
 * The Bitrix24 REST methods the connector uses, typed. Each call goes through the
 * connection (pacing, tokens, errors); `withTrace` gives a client that reports every
 * exchange to a sink — the per-call CRM trace.
 */
export class Bitrix24Client {
  constructor(
    readonly connection: Bitrix24Connection,
    private readonly trace?: TraceSink,
    private readonly rewrite?: RequestRewrite,
  ) {}

  withTrace(trace: TraceSink): Bitrix24Client {
    return new Bitrix24Client(this.connection, trace, this.rewrite);
  }

  /** A client whose writes pass through the tenant's request hooks first. */
  withHooks(rewrite: RequestRewrite): Bitrix24Client {
    return new Bitrix24Client(this.connection, this.trace, rewrite);
  }

  private call(method: string, params: BitrixParams = {}): Promise<BitrixResult> {
    const point = hookedMethods[method];
    if (point === undefined || this.rewrite === undefined)
      return this.connection.call(method, params, this.trace);
    const rewritten = this.rewrite(point, params);
    if (!isFields(rewritten)) throw malformed(method, `the "${point}" hook gave no object`);
    return this.connection.call(method, rewritten, this.trace);
  }

  /** The portal's active users, every page (user.get, 50 a page). */
  async listUsers(): Promise<BitrixUser[]> {
    const users: BitrixUser[] = [];
    let start: number | null = 0;
    while (start !== null) {
      const page: BitrixResult = await this.call('user.get', {
        FILTER: { ACTIVE: true },
        ...(start === 0 ? {} : { start }),
      });
      if (!Array.isArray(page.result)) throw malformed('user.get', 'result is not a list');
      for (const item of page.result) {
        if (!isFields(item)) continue;
        const id = idOf(item.ID);
        if (id === null) continue;
        users.push({
          id,
          name: [text(item.NAME), text(item.LAST_NAME)].filter(Boolean).join(' '),
          email: text(item.EMAIL),
          extension: text(item.UF_PHONE_INNER),
          isActive: item.ACTIVE === true || item.ACTIVE === 'Y',
        });
      }
      start = page.next;
    }
    return users;
  }

  /** Contacts and leads with any of these spellings of one phone (crm.duplicate.findbycomm). */
  async findByPhone(spellings: readonly string[]): Promise<BitrixMatches> {
    const { result } = await this.call('crm.duplicate.findbycomm', {
      type: 'PHONE',
      values: spellings.slice(0, 20),
    });
    // No match is an empty list, PHP's empty array (sandbox notes).
    if (Array.isArray(result)) return { contactIds: [], leadIds: [] };
    if (!isFields(result)) throw malformed('crm.duplicate.findbycomm', 'unexpected result');
    return { contactIds: ids(result.CONTACT), leadIds: ids(result.LEAD) };
  }

  async getEntity(type: BitrixEntityType, id: number): Promise<BitrixEntity> {
    const method = type === 'CONTACT' ? 'crm.contact.get' : 'crm.lead.get';
    const { result } = await this.call(method, { id });
    if (!isFields(result)) throw malformed(method, 'result is not an object');
    return { type, id, responsibleUserId: idOf(result.ASSIGNED_BY_ID) };
  }

  async addContact(input: {
    name: string;
    phone: string;
    responsibleUserId: number;
    sourceId: string;
  }): Promise<number> {
    const { result } = await this.call('crm.contact.add', {
      fields: {
        NAME: input.name,
        OPENED: 'Y',
        ASSIGNED_BY_ID: input.responsibleUserId,
        SOURCE_ID: input.sourceId,
        PHONE: [{ VALUE: input.phone, VALUE_TYPE: 'WORK' }],
      },
    });
    const id = idOf(result);
    if (id === null) throw malformed('crm.contact.add', 'no id');
    return id;
  }

  async addLead(input: {
    title: string;
    phone: string;
    responsibleUserId: number;
    sourceId: string;
  }): Promise<number> {
    const { result } = await this.call('crm.lead.add', {
      fields: {
        TITLE: input.title,
        OPENED: 'Y',
        ASSIGNED_BY_ID: input.responsibleUserId,
        SOURCE_ID: input.sourceId,
        PHONE: [{ VALUE: input.phone, VALUE_TYPE: 'WORK' }],
      },
    });
    const id = idOf(result);
    if (id === null) throw malformed('crm.lead.add', 'no id');
    return id;
  }

  async registerCall(call: NewExternalCall): Promise<RegisteredCall> {
    const method = 'telephony.externalCall.register';
    const { result } = await this.call(method, {
      USER_ID: call.userId,
      PHONE_NUMBER: call.phone,
      CALL_START_DATE: call.startedAt,
      TYPE: call.type,
      ...(call.lineNumber === null ? {} : { LINE_NUMBER: call.lineNumber }),
      EXTERNAL_CALL_ID: call.externalCallId,
      // The connector decides what to create (CRM_CREATE defaults to 0 anyway).
      CRM_CREATE: 0,
      ...(call.entity === null
        ? {}
        : { CRM_ENTITY_TYPE: call.entity.type, CRM_ENTITY_ID: call.entity.id }),
      SHOW: flag(call.show),
    });
    if (!isFields(result) || typeof result.CALL_ID !== 'string')
      throw malformed(method, 'no CALL_ID');
    return {
      callId: result.CALL_ID,
      entityType: text(result.CRM_ENTITY_TYPE),
      entityId: idOf(result.CRM_ENTITY_ID),
    };
  }

  /** Returns the call's CRM activity id (null when the call is bound to no entity). */
  async finishCall(finish: CallFinish): Promise<number | null> {
    const method = 'telephony.externalCall.finish';
    const { result } = await this.call(method, {
      CALL_ID: finish.callId,
      USER_ID: finish.userId,
      DURATION: finish.durationSeconds,
      STATUS_CODE: finish.statusCode,
      ADD_TO_CHAT: flag(finish.addToChat),
    });
    if (!isFields(result)) throw malformed(method, 'result is not an object');
    return idOf(result.CRM_ACTIVITY_ID);
  }

  /** Bitrix24 downloads the file from the URL itself (attach-record page). */
  async attachRecord(input: { callId: string; fileName: string; url: string }): Promise<number> {
    const method = 'telephony.externalCall.attachRecord';
    const { result } = await this.call(method, {
      CALL_ID: input.callId,
      FILENAME: input.fileName,
      RECORD_URL: input.url,
    });
    const id = isFields(result) ? idOf(result.FILE_ID) : null;
    if (id === null) throw malformed(method, 'no FILE_ID');
    return id;
  }

  async addTask(task: NewBitrixTask): Promise<number> {
    const { result } = await this.call('tasks.task.add', {
      fields: {
        TITLE: task.title,
        DESCRIPTION: task.description,
        RESPONSIBLE_ID: task.responsibleId,
        DEADLINE: task.deadline,
        UF_CRM_TASK: task.crmBindings,
      },
    });
    const id = isFields(result) && isFields(result.task) ? idOf(result.task.id) : null;
    if (id === null) throw malformed('tasks.task.add', 'no task id');
    return id;
  }

  /** Tasks with this title for this user: how an interrupted attempt's task is found. */
  async findTasks(title: string, responsibleId: number): Promise<BitrixTask[]> {
    const { result } = await this.call('tasks.task.list', {
      filter: { TITLE: title, RESPONSIBLE_ID: responsibleId },
      select: ['ID', 'TITLE', 'RESPONSIBLE_ID', 'DEADLINE'],
    });
    const tasks = isFields(result) && Array.isArray(result.tasks) ? result.tasks : [];
    return tasks.filter(isFields).flatMap((task) => {
      const id = idOf(task.id);
      const responsible = idOf(task.responsibleId);
      return id === null || responsible === null
        ? []
        : [
            {
              id,
              title: text(task.title) ?? '',
              responsibleId: responsible,
              deadline: text(task.deadline),
            },
          ];
    });
  }
}

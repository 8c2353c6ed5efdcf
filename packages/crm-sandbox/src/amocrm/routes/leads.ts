// Leads: list, get, add (array body) with `_embedded.contacts` / `_embedded.companies`.
// Followed: https://www.amocrm.ru/developers/content/crm_platform/leads-api — `with=contacts`
// adds `_embedded.contacts[{id, is_main, _links}]`, `_embedded.companies` always present,
// status_id must belong to pipeline_id, add answers `_embedded.leads[{id, request_id, _links}]`.
import { readCustomFields } from '../custom-fields.ts';
import type { Lead } from '../model.ts';
import {
  entityAtIdParam,
  pageCollection,
  queryInts,
  queryList,
  queryOf,
  readPage,
  withOf,
} from '../paging.ts';
import { sendHal, sendNoContent, sendHalOrNoContent } from '../problem.ts';
import type { LeadInput } from '../store.ts';
import { readBatch, type ItemReader } from '../validate.ts';
import {
  checkExtraFields,
  presenterFor,
  readEmbeddedIds,
  readPipeline,
  readTagNames,
  readUserId,
  type RouteContext,
} from './context.ts';

const leadFields = [
  'name',
  'price',
  'status_id',
  'pipeline_id',
  'responsible_user_id',
  'created_by',
  'updated_by',
  'created_at',
  'updated_at',
  'closed_at',
  'loss_reason_id',
  'custom_fields_values',
  '_embedded',
  'request_id',
];

export function readLeadInput(ctx: RouteContext, reader: ItemReader): LeadInput {
  const { store } = ctx;
  checkExtraFields(ctx, reader, leadFields);
  const pipeline = readPipeline(ctx, reader);
  const statusId = reader.int('status_id', false, 1);
  if (
    statusId !== undefined &&
    pipeline !== undefined &&
    !pipeline.statuses.some((status) => status.id === statusId)
  ) {
    reader.notSupported('status_id');
  }
  const contacts = readEmbeddedIds(reader, 'contacts', (id) => store.contacts.has(id));
  const companies = readEmbeddedIds(reader, 'companies', (id) => store.companies.has(id));
  const main = contacts.find((contact) => contact.raw.is_main === true);
  return {
    name: reader.string('name') ?? '',
    price: reader.int('price'),
    status_id: statusId,
    pipeline_id: pipeline?.id,
    responsible_user_id: readUserId(ctx, reader, 'responsible_user_id'),
    created_by: readUserId(ctx, reader, 'created_by'),
    created_at: reader.int('created_at'),
    custom_fields_values: readCustomFields(reader, 'leads'),
    tags: readTagNames(reader),
    contact_ids: contacts.map((contact) => contact.id),
    main_contact_id: main?.id,
    company_id: companies[0]?.id,
  };
}

function matches(
  lead: Lead,
  text: string | undefined,
  ids: number[],
  pipelines: number[],
  statuses: number[],
): boolean {
  return (
    (text === undefined || lead.name.toLowerCase().includes(text.toLowerCase())) &&
    (ids.length === 0 || ids.includes(lead.id)) &&
    (pipelines.length === 0 || pipelines.includes(lead.pipeline_id)) &&
    (statuses.length === 0 || statuses.includes(lead.status_id))
  );
}

export function leadRoutes(ctx: RouteContext): void {
  const { app, store } = ctx;

  app.get('/api/v4/leads', async (request, reply) => {
    const query = queryOf(request);
    const present = presenterFor(ctx, request);
    const withs = withOf(query);
    const text = queryList(query, 'query')[0];
    const ids = queryInts(query, 'filter[id]');
    const pipelines = queryInts(query, 'filter[pipeline_id]');
    const statuses = queryInts(query, 'filter[statuses][0][status_id]');
    const items = [...store.leads.values()]
      .filter((lead) => matches(lead, text, ids, pipelines, statuses))
      .map((lead) => present.lead(lead, withs));
    const body = pageCollection(request, 'leads', items, readPage(query));
    return sendHalOrNoContent(reply, body);
  });

  app.get('/api/v4/leads/:id', async (request, reply) => {
    const lead = entityAtIdParam(request, store.leads);
    if (lead === undefined) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).lead(lead, withOf(queryOf(request))));
  });

  app.post('/api/v4/leads', async (request, reply) => {
    const { items, requestIds } = readBatch(request.body, (reader) => readLeadInput(ctx, reader));
    const ids = items.map((input) => store.addLead(input).id);
    return sendHal(reply, presenterFor(ctx, request).created('leads', ids, requestIds));
  });
}

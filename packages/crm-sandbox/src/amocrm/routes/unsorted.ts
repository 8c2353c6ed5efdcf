// Incoming leads ("Неразобранное") of category sip: POST /api/v4/leads/unsorted/sip and
// GET /api/v4/leads/unsorted. Followed:
// https://www.amocrm.ru/developers/content/crm_platform/unsorted-api and
// https://www.amocrm.com/developers/content/api_v4/incoming-leads/ — items carry
// source_uid, source_name, pipeline_id, created_at, metadata and `_embedded` leads /
// contacts / companies; sip metadata fields from, phone, called_at, duration, link,
// service_code, uniq, is_call_event_needed (field list also as the vendor's PHP client
// amocrm/amocrm-api-php Models/Unsorted/SipMetadata.php sends it). The answer lists
// `_embedded.unsorted[{uid, account_id, request_id, _embedded{leads, contacts, companies}}]`.
import { randomUUID } from 'node:crypto';
import { isJsonObject, type Json } from '../json.ts';
import type { SipMetadata, UnsortedItem } from '../model.ts';
import { pageCollection, queryList, queryOf, readPage } from '../paging.ts';
import { sendHal, sendHalOrNoContent } from '../problem.ts';
import type { LeadInput, PartyInput } from '../store.ts';
import { readBatch, ItemReader } from '../validate.ts';
import { checkExtraFields, presenterFor, readPipeline, type RouteContext } from './context.ts';
import { readCustomFields } from '../custom-fields.ts';
import { readLeadInput } from './leads.ts';

const unsortedFields = [
  'request_id',
  'source_uid',
  'source_name',
  'pipeline_id',
  'created_at',
  'metadata',
  '_embedded',
];

function readPhoneLike(reader: ItemReader, name: string): string | undefined {
  const value = reader.item[name];
  if (typeof value === 'number') return String(value);
  return reader.string(name, true);
}

function readMetadata(reader: ItemReader): SipMetadata | undefined {
  const meta = reader.nested('metadata', true);
  if (meta === undefined) return undefined;
  const from = readPhoneLike(meta, 'from');
  const phone = readPhoneLike(meta, 'phone');
  const calledAt = meta.int('called_at', true);
  const duration = meta.int('duration', true);
  const link = meta.string('link', true);
  const serviceCode = meta.string('service_code', true);
  const uniq = meta.string('uniq', true);
  const eventNeeded = meta.bool('is_call_event_needed');
  if (
    from === undefined ||
    phone === undefined ||
    calledAt === undefined ||
    duration === undefined ||
    link === undefined ||
    serviceCode === undefined ||
    uniq === undefined
  ) {
    return undefined;
  }
  return {
    from,
    phone,
    called_at: calledAt,
    duration,
    link,
    service_code: serviceCode,
    uniq,
    is_call_event_needed: eventNeeded ?? false,
  };
}

function readEmbeddedItems<T>(
  reader: ItemReader,
  name: string,
  read: (item: ItemReader) => T,
): T[] {
  const embedded = reader.nested('_embedded');
  const list = embedded?.array(name) ?? [];
  return list.flatMap((entry: Json, index) => {
    if (!isJsonObject(entry)) {
      reader.fail(
        `_embedded.${name}.${index}`,
        'InvalidType',
        'This value should be of type object.',
      );
      return [];
    }
    return [read(new ItemReader(entry, `_embedded.${name}.${index}`, reader.errors))];
  });
}

function readParty(reader: ItemReader, kind: 'contacts' | 'companies'): PartyInput {
  return {
    name: reader.string('name'),
    first_name: kind === 'contacts' ? reader.string('first_name') : undefined,
    last_name: kind === 'contacts' ? reader.string('last_name') : undefined,
    custom_fields_values: readCustomFields(reader, kind),
    tags: [],
    is_unsorted: true,
  };
}

interface UnsortedInput {
  readonly sourceUid: string;
  readonly sourceName: string;
  readonly pipelineId: number;
  readonly createdAt?: number;
  readonly metadata: SipMetadata;
  readonly lead: LeadInput | undefined;
  readonly contacts: PartyInput[];
  readonly companies: PartyInput[];
}

export function unsortedRoutes(ctx: RouteContext): void {
  const { app, store } = ctx;

  app.post('/api/v4/leads/unsorted/sip', async (request, reply) => {
    const { items, requestIds } = readBatch(request.body, (reader): UnsortedInput | undefined => {
      checkExtraFields(ctx, reader, unsortedFields);
      const sourceUid = reader.string('source_uid', true);
      const sourceName = reader.string('source_name', true);
      const pipeline = readPipeline(ctx, reader);
      const metadata = readMetadata(reader);
      const leads = readEmbeddedItems(reader, 'leads', (item) => readLeadInput(ctx, item));
      const contacts = readEmbeddedItems(reader, 'contacts', (item) => readParty(item, 'contacts'));
      const companies = readEmbeddedItems(reader, 'companies', (item) =>
        readParty(item, 'companies'),
      );
      if (
        sourceUid === undefined ||
        sourceName === undefined ||
        pipeline === undefined ||
        metadata === undefined
      )
        return undefined;
      return {
        sourceUid,
        sourceName,
        pipelineId: pipeline.id,
        createdAt: reader.int('created_at'),
        metadata,
        lead: leads[0],
        contacts,
        companies,
      };
    });
    const present = presenterFor(ctx, request);
    const created = items.flatMap((input, index) => {
      if (input === undefined) return [];
      const item = createUnsorted(ctx, input);
      return [
        {
          uid: item.uid,
          account_id: store.account.id,
          request_id: requestIds[index] ?? String(index),
          _links: present.link(`/api/v4/leads/unsorted/${item.uid}`),
          _embedded: present.unsortedEmbedded(item),
        },
      ];
    });
    return sendHal(reply, { _total_items: created.length, _embedded: { unsorted: created } });
  });

  app.get('/api/v4/leads/unsorted', async (request, reply) => {
    const query = queryOf(request);
    const present = presenterFor(ctx, request);
    const uids = queryList(query, 'filter[uid]');
    const items = store.unsorted
      .filter((item) => uids.length === 0 || uids.includes(item.uid))
      .map((item) => ({
        uid: item.uid,
        source_uid: item.source_uid,
        source_name: item.source_name,
        category: item.category,
        pipeline_id: item.pipeline_id,
        created_at: item.created_at,
        metadata: { ...item.metadata },
        account_id: store.account.id,
        _links: present.link(`/api/v4/leads/unsorted/${item.uid}`),
        _embedded: present.unsortedEmbedded(item),
      }));
    const body = pageCollection(request, 'unsorted', items, readPage(query));
    return sendHalOrNoContent(reply, body);
  });
}

/** The lead lands in the pipeline's unsorted status with its (unsorted) contacts. */
function createUnsorted(ctx: RouteContext, input: UnsortedInput): UnsortedItem {
  const { store } = ctx;
  const pipeline =
    store.pipelines.find((item) => item.id === input.pipelineId) ?? store.mainPipeline();
  const unsortedStatus = pipeline.statuses.find((status) => status.type === 1);
  const contacts = input.contacts.map((contact) => store.addParty('contacts', contact));
  const companies = input.companies.map((company) => store.addParty('companies', company));
  const lead = store.addLead({
    ...(input.lead ?? {
      name: `Звонок от ${input.metadata.phone}`,
      custom_fields_values: [],
      tags: [],
      contact_ids: [],
    }),
    pipeline_id: pipeline.id,
    status_id: unsortedStatus?.id,
    contact_ids: contacts.map((contact) => contact.id),
    company_id: companies[0]?.id,
    created_at: input.createdAt,
  });
  if (input.metadata.is_call_event_needed) {
    const { uniq, duration, link, phone, service_code: source } = input.metadata;
    store.addNote('leads', lead.id, 'call_in', { uniq, duration, source, link, phone });
  }
  const item: UnsortedItem = {
    uid: randomUUID().replace(/-/g, ''),
    source_uid: input.sourceUid,
    source_name: input.sourceName,
    category: 'sip',
    pipeline_id: pipeline.id,
    created_at: input.createdAt ?? store.now(),
    metadata: input.metadata,
    lead_id: lead.id,
    contact_ids: contacts.map((contact) => contact.id),
    company_ids: companies.map((company) => company.id),
  };
  store.unsorted.push(item);
  return item;
}

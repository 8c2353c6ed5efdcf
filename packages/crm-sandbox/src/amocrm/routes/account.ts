// GET /api/v4/account, /api/v4/users[/{id}], /api/v4/leads/pipelines[/{id}].
// Followed: https://www.amocrm.ru/developers/content/crm_platform/account-info
// (`with=task_types` → `_embedded.task_types`), task types 1 "Связаться" / 2 "Встреча"
// from https://www.amocrm.ru/developers/content/crm_platform/tasks-api, account fields as in
// https://kommo.com/developers/content/api_v4/errors (200 example). Users and pipelines
// pages were not read in full: `_total_items`/`_page_count`, `_embedded.statuses`, the
// 142/143 closing statuses and type 1 = unsorted are listed in docs/crm-sandbox.md.
import type { JsonObject } from '../json.ts';
import { entityAtIdParam, idParam, pageCollection, queryOf, readPage, withOf } from '../paging.ts';
import { sendHal, sendNoContent } from '../problem.ts';
import { presenterFor, type RouteContext } from './context.ts';

export const taskTypes = [
  { id: 1, name: 'Связаться', color: null, icon_id: null, code: 'FOLLOW_UP' },
  { id: 2, name: 'Встреча', color: null, icon_id: null, code: 'MEETING' },
];

export function accountRoutes(ctx: RouteContext): void {
  const { app, store } = ctx;

  app.get('/api/v4/account', async (request, reply) => {
    const present = presenterFor(ctx, request);
    const withs = withOf(queryOf(request));
    const embedded: JsonObject = withs.has('task_types') ? { task_types: taskTypes } : {};
    return sendHal(reply, {
      id: store.account.id,
      name: store.account.name,
      subdomain: store.account.subdomain,
      created_at: 1_600_000_000,
      created_by: 0,
      updated_at: 1_600_000_000,
      updated_by: 0,
      current_user_id: store.defaultUserId(),
      country: 'RU',
      currency: 'RUB',
      currency_symbol: '₽',
      customers_mode: 'disabled',
      is_unsorted_on: true,
      is_loss_reason_enabled: false,
      is_helpbot_enabled: false,
      is_technical_account: true,
      contact_name_display_order: 1,
      _links: present.link('/api/v4/account'),
      _embedded: embedded,
    });
  });

  app.get('/api/v4/users', async (request, reply) => {
    const present = presenterFor(ctx, request);
    const users = [...store.users.values()].map((user) => present.user(user));
    const page = readPage(queryOf(request));
    const body = pageCollection(request, 'users', users, page);
    if (body === undefined) return sendNoContent(reply);
    return sendHal(reply, {
      _total_items: users.length,
      ...body,
      _page_count: Math.ceil(users.length / page.limit),
    });
  });

  app.get('/api/v4/users/:id', async (request, reply) => {
    const user = entityAtIdParam(request, store.users);
    if (user === undefined) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).user(user));
  });

  app.get('/api/v4/leads/pipelines', async (request, reply) => {
    const present = presenterFor(ctx, request);
    return sendHal(reply, {
      _total_items: store.pipelines.length,
      _links: present.link('/api/v4/leads/pipelines'),
      _embedded: { pipelines: store.pipelines.map((pipeline) => present.pipeline(pipeline)) },
    });
  });

  app.get('/api/v4/leads/pipelines/:id', async (request, reply) => {
    const id = idParam(request);
    const pipeline = store.pipelines.find((candidate) => candidate.id === id);
    if (pipeline === undefined) return sendNoContent(reply);
    return sendHal(reply, presenterFor(ctx, request).pipeline(pipeline));
  });
}

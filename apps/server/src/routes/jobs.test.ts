import { enqueueJob, jobQueue, systemClock, type NewJob } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

describe.each(testDialects)('jobs API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
  });
  afterEach(() => t.close());

  const database = () => t.services.deps.database;
  // One millisecond apart (ids are UUIDv7, ordered by their millisecond), in the past so
  // that the jobs are already due.
  let enqueuedAt = Date.now() - 60_000;
  const ticking = () => new Date(++enqueuedAt);
  const enqueue = (job: Partial<NewJob> = {}) =>
    enqueueJob(
      database().db,
      { kind: 'crm.push_call', payload: { callId: 'c1' }, tenantId: tenant.tenantId, ...job },
      ticking,
    );
  /** Claims and fails the job until it is dead, the way a worker would. */
  async function kill(id: string) {
    const queue = jobQueue(database(), systemClock);
    const [claimed] = await queue.claim('test', 1, 10_000);
    expect(claimed?.id).toBe(id);
    await queue.fail({ id, lockedBy: claimed?.lockedBy ?? '' }, 'CRM answered 500', {
      permanent: true,
    });
  }
  const get = (url: string, headers: AuthHeaders = admin) =>
    t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });
  const retry = (id: string, headers: AuthHeaders = admin) =>
    t.app.inject({ method: 'POST', url: `/api/v1/jobs/${id}/retry`, headers });

  it("lists the tenant's own jobs newest first, by page, filtered by status and kind", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(await enqueue({ kind: i === 1 ? 'webhook' : 'crm.push_call' }));
    const other = await t.createTenant('other');
    await enqueue({ tenantId: other.tenantId });
    await enqueue({ tenantId: null });

    const first = await get('/jobs?limit=2');
    expect(first.statusCode).toBe(200);
    const page = first.json<{ items: { id: string }[]; nextCursor: string }>();
    expect(page.items.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    const rest = await get(`/jobs?limit=2&cursor=${page.nextCursor}`);
    expect(rest.json()).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });

    const webhooks = await get('/jobs?kind=webhook');
    expect(webhooks.json<{ items: unknown[] }>().items).toMatchObject([
      { id: ids[1], kind: 'webhook', status: 'queued', attempts: 0, payload: { callId: 'c1' } },
    ]);
    expect((await get('/jobs?status=dead')).json()).toEqual({ items: [], nextCursor: null });
  });

  it('answers 400 naming a bad filter, an unknown field and a bad cursor', async () => {
    const badStatus = await get('/jobs?status=sleeping');
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json<{ error: { message: string } }>().error.message).toContain(
      'querystring.status',
    );
    const unknown = await get('/jobs?colour=red');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({
      error: { details: [{ path: 'querystring.colour', message: 'unknown field' }] },
    });
    expect((await get('/jobs?limit=0')).statusCode).toBe(400);
    const cursor = await get('/jobs?cursor=not-ours');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ error: { code: 'invalid_cursor' } });
  });

  it("shows one job; another tenant's, the operator's and a missing one are 404", async () => {
    const mine = await enqueue();
    const other = await t.createTenant('other');
    const theirs = await enqueue({ tenantId: other.tenantId });
    const operator = await enqueue({ tenantId: null });

    expect((await get(`/jobs/${mine}`)).json()).toMatchObject({ id: mine, status: 'queued' });
    for (const id of [theirs, operator, '0190a0b0-0000-7000-8000-000000000000']) {
      const response = await get(`/jobs/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await retry(id)).statusCode).toBe(404);
    }
    expect((await get('/jobs/not-a-uuid')).statusCode).toBe(400);
  });

  it('retries a dead job with fresh attempts, audited; anything not dead is 409', async () => {
    const id = await enqueue({ maxAttempts: 3 });
    const queued = await retry(id);
    expect(queued.statusCode).toBe(409);
    expect(queued.json()).toMatchObject({ error: { code: 'conflict' } });

    await kill(id);
    expect((await get(`/jobs/${id}`)).json()).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: 'CRM answered 500',
    });
    const retried = await retry(id);
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toMatchObject({ id, status: 'queued', attempts: 0, finishedAt: null });
    expect((await retry(id)).statusCode).toBe(409);

    const audit = await get('/audit-log?entityType=job');
    expect(audit.json()).toMatchObject({
      items: [
        { action: 'retry', entityId: id, before: { status: 'dead' }, after: { status: 'queued' } },
      ],
    });
  });

  it('lets only roles with jobs permissions in', async () => {
    const id = await enqueue();
    const viewer = await t.loginAs('viewer', tenant);
    const agent = await t.loginAs('agent', tenant);
    expect((await get('/jobs', viewer)).statusCode).toBe(403);
    expect((await get(`/jobs/${id}`, agent)).statusCode).toBe(403);
    expect((await retry(id, agent)).statusCode).toBe(403);
    const key = await t.apiKeyFor('admin', tenant);
    expect((await get('/jobs', key)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/jobs' })).statusCode).toBe(401);
  });
});

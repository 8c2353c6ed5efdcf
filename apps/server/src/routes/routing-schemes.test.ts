import type { RoutingGraphInput } from '@provod/contracts';
import { newId, TenantScope } from '@provod/db';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  testDialects,
  type AuthHeaders,
  type TestApp,
} from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';

interface SchemeBody {
  id: string;
  name: string;
  currentVersion: number;
  graph: RoutingGraphInput;
}

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { path: string; nodeId?: string; message: string }[];
  };
}

/** Hours → menu (1 → operator, timeout → the menu again) → voicemail. */
function officeGraph(greeting: string, operator = '100'): RoutingGraphInput {
  return {
    entry: 'hours',
    nodes: [
      {
        id: 'hours',
        kind: 'schedule',
        weekly: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
        open: 'menu',
        closed: 'vm',
      },
      { id: 'menu', kind: 'ivr', prompt: greeting, digits: { '1': 'op' }, timeout: 'menu' },
      { id: 'op', kind: 'extension', number: operator, noAnswer: 'vm' },
      { id: 'vm', kind: 'voicemail', mailbox: operator, greeting },
    ],
  };
}

describe.each(testDialects)('routing schemes API on $name', (dialect) => {
  let t: TestApp;
  let tenant: TenantContext;
  let admin: AuthHeaders;
  let greeting: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    tenant = await t.createTenant('acme');
    admin = await t.loginAs('admin', tenant);
    await t.services.extensions.create(tenant, { number: '100' });
    await t.services.extensions.create(tenant, { number: '101' });
    greeting = await addSound(tenant);
  });
  afterEach(() => t.close());

  /** A sound row without bytes: the routing scheme only checks that the id is the tenant's. */
  async function addSound(owner: TenantContext): Promise<string> {
    const id = newId();
    await new TenantScope(t.services.deps.database.db, owner.tenantId)
      .insertInto('soundFiles', {
        id,
        name: 'Greeting',
        purpose: 'greeting',
        originalFilename: 'greeting.wav',
        contentType: 'audio/wav',
        sizeBytes: 44,
        storagePath: `sounds/${id}.wav`,
        durationMs: 0,
        createdAt: new Date().toISOString(),
      })
      .execute();
    return id;
  }

  function request(
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    payload?: object,
    headers = admin,
  ) {
    return t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
  }

  async function createScheme(name = 'Main line'): Promise<SchemeBody> {
    const response = await request('POST', '/routing-schemes', {
      name,
      graph: officeGraph(greeting),
    });
    expect(response.statusCode).toBe(201);
    return response.json<SchemeBody>();
  }

  it('creates a scheme as version 1, filling defaults, and lists it', async () => {
    const created = await createScheme();
    expect(created).toMatchObject({
      name: 'Main line',
      currentVersion: 1,
      graph: { entry: 'hours' },
    });
    expect(created.graph.nodes[1]).toMatchObject({ kind: 'ivr', timeoutSeconds: 5, retries: 2 });

    const list = await request('GET', '/routing-schemes');
    expect(list.json<SchemeBody[]>().map((s) => s.id)).toEqual([created.id]);
    const one = await request('GET', `/routing-schemes/${created.id}`);
    expect(one.json()).toEqual(created);
  });

  it('saves new versions, keeps the old ones and restores one as a new version', async () => {
    const created = await createScheme();
    const second = await request('POST', `/routing-schemes/${created.id}/versions`, {
      graph: officeGraph(greeting, '101'),
      comment: 'Operator moved to 101',
    });
    expect(second.statusCode).toBe(201);
    expect(second.json<SchemeBody>().currentVersion).toBe(2);

    const restored = await request('POST', `/routing-schemes/${created.id}/versions/1/restore`);
    expect(restored.statusCode).toBe(201);
    expect(restored.json<SchemeBody>()).toMatchObject({ currentVersion: 3, graph: created.graph });

    const versions = await request('GET', `/routing-schemes/${created.id}/versions`);
    expect(
      versions.json<{ version: number; comment: string }[]>().map((v) => [v.version, v.comment]),
    ).toEqual([
      [3, 'Restored from version 1'],
      [2, 'Operator moved to 101'],
      [1, ''],
    ]);
    const v2 = await request('GET', `/routing-schemes/${created.id}/versions/2`);
    const v2Body = v2.json<{ version: number; graph: RoutingGraphInput }>();
    expect(v2Body.version).toBe(2);
    expect(v2Body.graph.nodes[2]).toMatchObject({ kind: 'extension', number: '101' });
    expect((await request('GET', `/routing-schemes/${created.id}/versions/9`)).statusCode).toBe(
      404,
    );
    expect(
      (await request('POST', `/routing-schemes/${created.id}/versions/9/restore`)).statusCode,
    ).toBe(404);
    expect((await request('GET', `/routing-schemes/${created.id}/versions/zero`)).statusCode).toBe(
      400,
    );

    const audit = await request(
      'GET',
      `/audit-log?entityType=routing_scheme&entityId=${created.id}`,
    );
    expect(
      audit
        .json<{ items: { action: string }[] }>()
        .items.map((e) => e.action)
        .sort(),
    ).toEqual(['add_version', 'create', 'restore_version']);
  });

  it('answers 400 invalid_routing_scheme naming the nodes and paths at fault', async () => {
    const graph = officeGraph(greeting);
    graph.nodes.push({ id: 'loose', kind: 'hangup' });
    const menu = graph.nodes[1];
    if (menu?.kind !== 'ivr') throw new Error('fixture changed');
    menu.digits = { '1': 'op', '2': 'sales' };

    const response = await request('POST', '/routing-schemes', { name: 'Broken', graph });
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('invalid_routing_scheme');
    expect(body.error.details).toEqual([
      {
        nodeId: 'menu',
        path: 'graph.nodes.1.digits.2',
        message: 'points to node "sales", which does not exist',
      },
      { nodeId: 'loose', path: 'graph.nodes.4', message: 'no path leads here from the entry node' },
    ]);
    expect(body.error.message).toContain('graph.nodes.1.digits.2');
    expect((await request('GET', '/routing-schemes')).json()).toEqual([]);
  });

  it('answers 400 validation_failed for a wrong shape, naming the field', async () => {
    const graph = officeGraph(greeting);
    const response = await request('POST', '/routing-schemes', {
      name: 'Shape',
      graph: { ...graph, nodes: [{ id: 'x', kind: 'hangup', colour: 'red' }] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: {
        code: 'validation_failed',
        details: [{ path: 'body.graph.nodes.0.colour', message: 'unknown field' }],
      },
    });
  });

  it("refuses extensions and sounds the tenant does not have, including another tenant's", async () => {
    const other = await t.createTenant('globex');
    await t.services.extensions.create(other, { number: '555' });
    const foreignSound = await addSound(other);

    const graph = officeGraph(foreignSound, '555');
    const response = await request('POST', '/routing-schemes', { name: 'Foreign', graph });
    expect(response.statusCode).toBe(400);
    const body = response.json<ErrorBody>();
    expect(body.error.code).toBe('invalid_routing_scheme');
    expect(body.error.details?.map((d) => [d.nodeId, d.path, d.message])).toEqual([
      ['menu', 'graph.nodes.1.prompt', `sound file ${foreignSound} does not exist`],
      ['op', 'graph.nodes.2.number', 'extension 555 does not exist'],
      ['vm', 'graph.nodes.3.mailbox', 'extension 555 does not exist'],
      ['vm', 'graph.nodes.3.greeting', `sound file ${foreignSound} does not exist`],
    ]);

    const created = await createScheme();
    const queue = await request('POST', `/routing-schemes/${created.id}/versions`, {
      graph: {
        entry: 'q',
        nodes: [
          { id: 'q', kind: 'queue', agents: ['100', '199'], overflow: 'group' },
          {
            id: 'group',
            kind: 'ring_group',
            members: [{ number: '198' }, { number: '+74951234567' }],
          },
        ],
      },
    });
    expect(queue.json<ErrorBody>().error.details?.map((d) => d.path)).toEqual([
      'graph.nodes.0.agents.1',
      'graph.nodes.1.members.0.number',
    ]);
  });

  it("answers 404 for another tenant's scheme and for a missing one", async () => {
    const created = await createScheme();
    const other = await t.createTenant('globex');
    const stranger = await t.loginAs('owner', other);
    const paths = [
      ['GET', `/routing-schemes/${created.id}`],
      ['GET', `/routing-schemes/${created.id}/versions`],
      ['GET', `/routing-schemes/${created.id}/versions/1`],
      ['POST', `/routing-schemes/${created.id}/versions/1/restore`],
      ['DELETE', `/routing-schemes/${created.id}`],
    ] as const;
    for (const [method, url] of paths) {
      const response = await request(method, url, undefined, stranger);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    const rename = await request(
      'PATCH',
      `/routing-schemes/${created.id}`,
      { name: 'Mine' },
      stranger,
    );
    expect(rename.statusCode).toBe(404);
    const missing = await request('GET', `/routing-schemes/${newId()}`);
    expect(missing.statusCode).toBe(404);
    expect((await request('GET', `/routing-schemes/${created.id}`)).json()).toMatchObject({
      name: 'Main line',
    });
  });

  it('renames, refuses a taken name with 409, and deletes', async () => {
    const main = await createScheme('Main line');
    await createScheme('Night');
    const renamed = await request('PATCH', `/routing-schemes/${main.id}`, { name: 'Day' });
    expect(renamed.json()).toMatchObject({ name: 'Day', currentVersion: 1 });
    const clash = await request('PATCH', `/routing-schemes/${main.id}`, { name: 'Night' });
    expect(clash.statusCode).toBe(409);
    const duplicate = await request('POST', '/routing-schemes', {
      name: 'Night',
      graph: officeGraph(greeting),
    });
    expect(duplicate.statusCode).toBe(409);

    expect((await request('DELETE', `/routing-schemes/${main.id}`)).statusCode).toBe(204);
    expect((await request('GET', `/routing-schemes/${main.id}`)).statusCode).toBe(404);
    const audit = await request('GET', `/audit-log?entityType=routing_scheme&entityId=${main.id}`);
    const actions = audit.json<{ items: { action: string; before: unknown }[] }>().items;
    expect(actions.map((e) => e.action).sort()).toEqual(['create', 'delete', 'rename']);
    expect(actions.find((e) => e.action === 'delete')?.before).toMatchObject({
      graph: { entry: 'hours' },
    });
  });

  it('refuses to delete a scheme a phone number routes through', async () => {
    const main = await createScheme();
    const now = new Date().toISOString();
    await new TenantScope(t.services.deps.database.db, tenant.tenantId)
      .insertInto('phoneNumbers', {
        id: newId(),
        e164: '+74951234567',
        label: '',
        routingSchemeId: main.id,
        trunkId: null,
        createdAt: now,
        updatedAt: now,
      })
      .execute();
    const response = await request('DELETE', `/routing-schemes/${main.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json<ErrorBody>().error.message).toContain('+74951234567');
  });

  it('appears in the OpenAPI document with its permissions', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = response.json<{ paths: Record<string, Record<string, object>> }>().paths;
    expect(paths['/api/v1/routing-schemes/{id}/versions/{version}/restore']?.post).toMatchObject({
      'x-permission': 'numberplan:write',
    });
    expect(paths['/api/v1/routing-schemes']?.get).toMatchObject({
      'x-permission': 'numberplan:read',
    });
  });

  it('lets a viewer read but not write', async () => {
    const main = await createScheme();
    const viewer = await t.loginAs('viewer', tenant);
    expect(
      (await request('GET', `/routing-schemes/${main.id}`, undefined, viewer)).statusCode,
    ).toBe(200);
    const writes = [
      request('POST', '/routing-schemes', { name: 'V', graph: officeGraph(greeting) }, viewer),
      request(
        'POST',
        `/routing-schemes/${main.id}/versions`,
        { graph: officeGraph(greeting) },
        viewer,
      ),
      request('POST', `/routing-schemes/${main.id}/versions/1/restore`, undefined, viewer),
      request('PATCH', `/routing-schemes/${main.id}`, { name: 'V' }, viewer),
      request('DELETE', `/routing-schemes/${main.id}`, undefined, viewer),
    ];
    for (const response of await Promise.all(writes)) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
  });
});

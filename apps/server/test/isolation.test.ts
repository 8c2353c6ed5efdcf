import { roleAllows, roles, type Permission, type Role } from '@provod/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantContext } from '../src/services/service-context.ts';
import { createTestApp, testDialects, type AuthHeaders, type TestApp } from './test-app.ts';
import {
  createTenantObjects,
  exampleBodies,
  giveOwnExtension,
  missingTenantObjects,
} from './isolation-fixtures.ts';

interface Operation {
  method: string;
  path: string;
  permission: Permission | undefined;
  isPublic: boolean;
}

type OpenApiDocument = {
  paths: Record<string, Record<string, { 'x-permission'?: Permission; security?: unknown[] }>>;
};

function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        permission: operation['x-permission'],
        isPublic: Array.isArray(operation.security) && operation.security.length === 0,
      })),
    );
}

/** The resource an /api/v1 path is about: its first segment, e.g. "extensions". */
function resourceOf(path: string): string {
  return path.split('/')[3] ?? '';
}

/**
 * Walks every route of the OpenAPI document: (1) as tenant A against tenant B's objects,
 * requiring 404 and never B's data; (2) as every role against every action its role
 * does not allow, requiring 403. A new route without a fixture fails here, on purpose.
 */
describe.each(testDialects)('tenant isolation and roles on $name', (dialect) => {
  let t: TestApp;
  let tenantA: TenantContext;
  let tenantB: TenantContext;
  let operations: Operation[];
  let objectsOfB: Map<string, string>;
  let objectsOfA: Map<string, string>;
  const headersByRole = new Map<Role, AuthHeaders>();

  beforeAll(async () => {
    t = await createTestApp(dialect);
    tenantA = await t.createTenant('tenant-a');
    tenantB = await t.createTenant('tenant-b');
    const document = (
      await t.app.inject({ method: 'GET', url: '/api/openapi.json' })
    ).json<OpenApiDocument>();
    operations = operationsOf(document);
    objectsOfA = await createTenantObjects(t, tenantA);
    objectsOfB = await createTenantObjects(t, tenantB);
    for (const role of roles) headersByRole.set(role, await t.loginAs(role, tenantA));
    await giveOwnExtension(t, tenantA, ownerOfA());
  });
  afterAll(() => t.close());

  function ownerOfA(): AuthHeaders {
    const headers = headersByRole.get('owner');
    if (!headers) throw new Error('owner not logged in');
    return headers;
  }

  function urlFor(operation: Operation, objects: Map<string, string>): string {
    return operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
      if (name === 'version') return '1';
      const id = objects.get(resourceOf(operation.path));
      if (id === undefined) {
        throw new Error(
          `no fixture object for ${resourceOf(operation.path)}: add one to isolation-fixtures.ts`,
        );
      }
      return id;
    });
  }

  it('every route declares a permission or is public', () => {
    const undeclared = operations.filter((o) => !o.isPublic && o.permission === undefined);
    expect(undeclared.map((o) => `${o.method} ${o.path}`)).toEqual([]);
    expect(operations.length).toBeGreaterThan(10);
  });

  it("answers 404 to tenant A for every route on tenant B's objects", async () => {
    const tenantRoutes = operations.filter(
      (o) => !o.isPublic && o.path.includes('{') && !o.path.startsWith('/api/v1/staff/'),
    );
    expect(tenantRoutes.length).toBeGreaterThan(5);
    for (const operation of tenantRoutes) {
      const response = await t.app.inject({
        method: operation.method,
        url: urlFor(operation, objectsOfB),
        headers: ownerOfA(),
        ...bodyFor(operation),
      });
      expect(response.statusCode, `${operation.method} ${operation.path}: ${response.body}`).toBe(
        404,
      );
    }
    // Nothing of B's changed or vanished through A's attempts.
    expect(await missingTenantObjects(t, tenantB, objectsOfB)).toEqual([]);
  });

  it("never shows tenant B's objects in tenant A's lists", async () => {
    const lists = operations.filter(
      (o) =>
        o.method === 'GET' &&
        !o.isPublic &&
        !o.path.includes('{') &&
        !o.path.startsWith('/api/v1/staff/'),
    );
    const idsOfB = [...objectsOfB.values(), tenantB.tenantId];
    for (const operation of lists) {
      const response = await t.app.inject({
        method: 'GET',
        url: operation.path,
        headers: ownerOfA(),
      });
      expect(response.statusCode, `${operation.path}: ${response.body}`).toBe(200);
      for (const id of idsOfB)
        expect(response.body, `${operation.path} leaks ${id}`).not.toContain(id);
    }
  });

  it('answers 403 to every role for every action the role does not allow', async () => {
    let checked = 0;
    for (const role of roles) {
      const headers = headersByRole.get(role);
      if (!headers) throw new Error(`${role} not logged in`);
      for (const operation of operations) {
        if (operation.isPublic || operation.permission === undefined) continue;
        if (roleAllows(role, operation.permission)) continue;
        const response = await t.app.inject({
          method: operation.method,
          url: urlFor(operation, objectsOfA),
          headers,
          ...bodyFor(operation),
        });
        expect(
          response.statusCode,
          `${role} ${operation.method} ${operation.path}: ${response.body}`,
        ).toBe(403);
        expect(response.json<{ error: { code: string } }>().error.code).toBe('forbidden');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('applies the same rules to API keys', async () => {
    const viewerKey = await t.apiKeyFor('viewer', tenantA);
    const write = operations.find((o) => o.method === 'POST' && o.path === '/api/v1/extensions');
    if (!write) throw new Error('POST /api/v1/extensions missing from the OpenAPI document');
    const refused = await t.app.inject({
      method: 'POST',
      url: write.path,
      headers: viewerKey,
      payload: { number: '555' },
    });
    expect(refused.statusCode).toBe(403);
    const adminKey = await t.apiKeyFor('admin', tenantA);
    const foreign = await t.app.inject({
      method: 'GET',
      url: `/api/v1/extensions/${objectsOfB.get('extensions') ?? ''}`,
      headers: adminKey,
    });
    expect(foreign.statusCode).toBe(404);
  });
});

function bodyFor(operation: Operation): { payload?: Record<string, unknown> } {
  const example = exampleBodies[`${operation.method} ${operation.path}`];
  if (example !== undefined) return { payload: example };
  return operation.method === 'POST' || operation.method === 'PATCH' || operation.method === 'PUT'
    ? { payload: {} }
    : {};
}

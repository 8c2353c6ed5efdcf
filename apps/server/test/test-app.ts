import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Role, TenantRole } from '@provod/contracts';
import { systemClock, type Clock } from '@provod/db';
import pino from 'pino';
import { testDialects, type TestDialect } from '../../../packages/db/test/test-databases.ts';
import { buildHttpApp } from '../src/http/app.ts';
import type { ProvodApp } from '../src/http/route-config.ts';
import { createServices, type ServiceOptions, type Services } from '../src/runtime/services.ts';
import type { TenantContext } from '../src/services/service-context.ts';

export { testDialects, type TestDialect };

/** Headers that authenticate a request made with `app.inject`. */
export type AuthHeaders = Record<string, string>;

export interface TestApp {
  app: ProvodApp;
  services: Services;
  /** A temp directory for files (sounds, recordings); removed by close(). */
  dataDir: string;
  /** A new tenant with the given slug; returns a context acting as its owner through the CLI actor. */
  createTenant(slug: string): Promise<TenantContext>;
  /** Creates a user of `role` (in `tenant`, or staff when role is a staff role) and logs in: cookie + CSRF headers. */
  loginAs(role: Role, tenant?: TenantContext): Promise<AuthHeaders>;
  /** Creates an API key of `role` in `tenant`; returns the Authorization header. */
  apiKeyFor(role: TenantRole, tenant: TenantContext): Promise<AuthHeaders>;
  close(): Promise<void>;
}

let userCounter = 0;

/**
 * A full Provod HTTP app on a fresh database of `dialect`, exercised in-process with
 * `app.inject` (no sockets), the way fastify's own tests do.
 */
export async function createTestApp(
  dialect: TestDialect,
  clock: Clock = systemClock,
  options: Omit<ServiceOptions, 'sessionTtlHours'> = {},
): Promise<TestApp> {
  const database = await dialect.create();
  const dataDir = mkdtempSync(join(tmpdir(), 'provod-app-'));
  const services = createServices(
    { database: database.handle, clock, dataDir, passwordCost: 10 },
    { sessionTtlHours: 24, ...options },
  );
  const app = await buildHttpApp({
    services,
    logger: pino({ level: 'silent' }),
    version: 'test',
    readiness: async () => ({ database: true }),
  });
  await app.ready();

  return {
    app,
    services,
    dataDir,
    async createTenant(slug) {
      const tenant = await services.tenants.create(
        { slug, name: slug.toUpperCase() },
        { type: 'cli', id: null },
      );
      return { tenantId: tenant.id, role: 'owner', actor: { type: 'cli', id: null } };
    },
    async loginAs(role, tenant) {
      const email = `user${++userCounter}-${role}@example.test`;
      const password = 'correct horse battery';
      if (role === 'superadmin' || role === 'support' || role === 'billing') {
        await services.users.createStaff(
          { email, name: role, password, role },
          { type: 'cli', id: null },
        );
      } else {
        if (!tenant) throw new Error('a tenant role needs a tenant');
        await services.users.create(tenant, { email, name: role, password, role });
      }
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password },
      });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      const cookie = response.cookies.find((c) => c.name === 'provod_session');
      const { csrfToken } = response.json<{ csrfToken: string }>();
      if (!cookie) throw new Error('no session cookie');
      return { cookie: `provod_session=${cookie.value}`, 'x-csrf-token': csrfToken };
    },
    async apiKeyFor(role, tenant) {
      const key = await services.auth.createApiKey(tenant, { name: `test ${role}`, role });
      return { authorization: `Bearer ${key.secret}` };
    },
    async close() {
      await app.close();
      await database.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

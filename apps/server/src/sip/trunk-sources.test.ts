import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';
import { trunkSources } from './trunk-sources.ts';

describe.each(testDialects)('which trunk a request came from (%s)', (dialect) => {
  let test: TestApp;
  let tenant: TenantContext;
  let other: TenantContext;
  let lookups: string[];

  beforeEach(async () => {
    test = await createTestApp(dialect);
    tenant = await test.createTenant('acme');
    other = await test.createTenant('globex');
    lookups = [];
  });
  afterEach(() => test.close());

  const resolver = async (host: string) => {
    lookups.push(host);
    if (host === 'sip.carrier.example') return ['198.51.100.7', '2001:db8::7'];
    throw new Error(`${host} does not resolve`);
  };

  it('matches a trunk by its IP host, IPv4-mapped IPv6 included', async () => {
    await test.services.trunks.create(tenant, { name: 'carrier', host: '192.0.2.10' });
    const trunkAt = trunkSources(test.services.deps, resolver);
    expect(await trunkAt(tenant.tenantId, '192.0.2.10')).toEqual({ name: 'carrier' });
    expect(await trunkAt(tenant.tenantId, '::ffff:192.0.2.10')).toEqual({ name: 'carrier' });
    expect(await trunkAt(tenant.tenantId, '192.0.2.11')).toBeUndefined();
  });

  it('resolves a named host once a minute, and a name that fails matches nobody', async () => {
    await test.services.trunks.create(tenant, { name: 'named', host: 'sip.carrier.example' });
    await test.services.trunks.create(tenant, { name: 'broken', host: 'gone.example' });
    const trunkAt = trunkSources(test.services.deps, resolver);
    expect(await trunkAt(tenant.tenantId, '2001:DB8::7')).toEqual({ name: 'named' });
    expect(await trunkAt(tenant.tenantId, '198.51.100.7')).toEqual({ name: 'named' });
    expect(await trunkAt(tenant.tenantId, '203.0.113.1')).toBeUndefined();
    expect(lookups.filter((host) => host === 'sip.carrier.example')).toHaveLength(1);
  });

  it('ignores disabled trunks, other tenants’ trunks, and all but the number’s own', async () => {
    const first = await test.services.trunks.create(tenant, { name: 'a', host: '192.0.2.1' });
    await test.services.trunks.create(tenant, { name: 'b', host: '192.0.2.2' });
    await test.services.trunks.create(tenant, { name: 'off', host: '192.0.2.3', enabled: false });
    await test.services.trunks.create(other, { name: 'theirs', host: '192.0.2.4' });
    const trunkAt = trunkSources(test.services.deps, resolver);
    expect(await trunkAt(tenant.tenantId, '192.0.2.3')).toBeUndefined();
    expect(await trunkAt(tenant.tenantId, '192.0.2.4')).toBeUndefined();
    expect(await trunkAt(tenant.tenantId, '192.0.2.2', first.id)).toBeUndefined();
    expect(await trunkAt(tenant.tenantId, '192.0.2.1', first.id)).toEqual({ name: 'a' });
  });
});

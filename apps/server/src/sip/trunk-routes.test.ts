import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';
import { trunkRoutes } from './trunk-routes.ts';

describe.each(testDialects)('trunks for an outbound call (%s)', (dialect) => {
  let test: TestApp;
  let acme: TenantContext;

  beforeEach(async () => {
    test = await createTestApp(dialect);
    acme = await test.createTenant('acme');
    await test.services.extensions.create(acme, { number: '101' });
  });
  afterEach(() => test.close());

  it('takes the longest matching prefix first, then priority; skips disabled trunks', async () => {
    const trunks = test.services.trunks;
    await trunks.create(acme, { name: 'any', host: '192.0.2.1', priority: 1 });
    await trunks.create(acme, { name: 'mobile', host: '192.0.2.2', dialPrefixes: ['+79'] });
    await trunks.create(acme, {
      name: 'mts',
      host: 'sip.mts.example',
      port: 5070,
      transport: 'tcp',
      dialPrefixes: ['7916'],
      fromDomain: 'acme.mts.example',
      username: 'acme',
      password: 'pw',
      authUsername: 'acme-auth',
    });
    await trunks.create(acme, { name: 'off', host: '192.0.2.4', enabled: false });
    const route = await trunkRoutes(test.services.deps).outbound(
      acme.tenantId,
      '101',
      '+79161234567',
    );
    expect(route?.trunks.map((trunk) => trunk.name)).toEqual(['mts', 'mobile', 'any']);
    expect(route?.trunks[0]).toEqual({
      name: 'mts',
      destination: { transport: 'tcp', address: 'sip.mts.example', port: 5070 },
      domain: 'acme.mts.example',
      account: { username: 'acme-auth', password: 'pw' },
    });
    expect(route?.trunks[1]?.account).toBeUndefined();
    const landline = await trunkRoutes(test.services.deps).outbound(
      acme.tenantId,
      '101',
      '84951234567',
    );
    expect(landline?.trunks.map((trunk) => trunk.name)).toEqual(['any']);
  });

  it('shows the extension’s caller ID, else the tenant’s first number, else the extension', async () => {
    await test.services.trunks.create(acme, { name: 'any', host: '192.0.2.1' });
    const routes = trunkRoutes(test.services.deps);
    expect((await routes.outbound(acme.tenantId, '101', '112'))?.callerId).toBe('101');
    await test.services.phoneNumbers.create(acme, { e164: '+74951234567' });
    expect((await routes.outbound(acme.tenantId, '101', '112'))?.callerId).toBe('+74951234567');
    await test.services.extensions.create(acme, { number: '102', callerId: '+74957654321' });
    expect((await routes.outbound(acme.tenantId, '102', '112'))?.callerId).toBe('+74957654321');
  });

  it('dials nothing that is not a number, and nothing without a trunk', async () => {
    const routes = trunkRoutes(test.services.deps);
    expect(await routes.outbound(acme.tenantId, '101', '+79161234567')).toBeUndefined();
    await test.services.trunks.create(acme, { name: 'any', host: '192.0.2.1' });
    expect(await routes.outbound(acme.tenantId, '101', 'sales')).toBeUndefined();
    expect(await routes.outbound(acme.tenantId, '101', '12')).toBeUndefined();
  });
});

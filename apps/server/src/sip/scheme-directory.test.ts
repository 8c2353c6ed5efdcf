import { LocationService } from '@provod/pbx';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, testDialects, type TestApp } from '../../test/test-app.ts';
import type { TenantContext } from '../services/service-context.ts';
import { normaliseDialled, schemeDirectory } from './scheme-directory.ts';

describe('dialled numbers as E.164', () => {
  it.each([
    ['+74951234567', '+74951234567'],
    ['74951234567', '+74951234567'],
    ['84951234567', '+74951234567'],
    ['8 (495) 123-45-67', '+74951234567'],
    ['+1 212 555 0100', '+12125550100'],
    ['4420794600', '+4420794600'],
  ])('%s → %s', (dialled, e164) => {
    expect(normaliseDialled(dialled)).toBe(e164);
  });

  it.each(['101', 'sales', '+7495abc4567', '', '+1234567890123456'])('%s is no number', (text) => {
    expect(normaliseDialled(text)).toBeUndefined();
  });
});

describe.each(testDialects)('the scheme of a number (%s)', (dialect) => {
  let test: TestApp;
  let acme: TenantContext;
  let globex: TenantContext;
  const location = new LocationService();

  beforeEach(async () => {
    test = await createTestApp(dialect);
    acme = await test.createTenant('acme');
    globex = await test.createTenant('globex');
  });
  afterEach(() => test.close());

  async function routedNumber(ctx: TenantContext, e164: string) {
    const scheme = await test.services.routingSchemes.create(ctx, {
      name: 'Main',
      comment: '',
      graph: { entry: 'bye', nodes: [{ id: 'bye', kind: 'hangup' }] },
    });
    await test.services.phoneNumbers.create(ctx, { e164, routingSchemeId: scheme.id });
    return scheme;
  }

  it('finds the owner and its scheme’s current graph, however the number is written', async () => {
    const scheme = await routedNumber(acme, '+74951234567');
    const directory = schemeDirectory(test.services.deps, location);
    const lookup = await directory.schemeFor('84951234567');
    expect(lookup).toMatchObject({
      kind: 'routed',
      route: {
        tenantId: acme.tenantId,
        number: '+74951234567',
        schemeId: scheme.id,
        schemeVersion: 1,
        trunkId: null,
        graph: { entry: 'bye' },
      },
    });
  });

  it('keeps tenants apart, and knows nothing of suspended tenants or unknown numbers', async () => {
    await routedNumber(acme, '+74951234567');
    const directory = schemeDirectory(test.services.deps, location);
    expect(await directory.schemeFor('+74951234567', globex.tenantId)).toEqual({
      kind: 'unknown_number',
    });
    expect((await directory.schemeFor('+74951234567', acme.tenantId)).kind).toBe('routed');
    expect(await directory.schemeFor('+74950000000')).toEqual({ kind: 'unknown_number' });
    await test.services.tenants.updateByStaff(
      acme.tenantId,
      { status: 'suspended' },
      { type: 'cli', id: null },
    );
    expect(await directory.schemeFor('+74951234567')).toEqual({ kind: 'unknown_number' });
  });

  it('says when a number has no scheme, with its trunk', async () => {
    const trunk = await test.services.trunks.create(acme, { name: 'carrier', host: '192.0.2.1' });
    await test.services.phoneNumbers.create(acme, { e164: '+74957654321', trunkId: trunk.id });
    const directory = schemeDirectory(test.services.deps, location);
    expect(await directory.schemeFor('+74957654321')).toEqual({
      kind: 'no_scheme',
      tenantId: acme.tenantId,
      trunkId: trunk.id,
    });
  });

  it('gives the tenant’s extensions and who is registered', async () => {
    const directory = schemeDirectory(test.services.deps, location);
    await test.services.extensions.create(acme, { number: '101', displayName: 'Anna' });
    location.upsert(
      { tenantId: acme.tenantId, user: '101' },
      {
        contact: '<sip:101@192.0.2.5>',
        expiresAt: Date.now() + 60_000,
        q: null,
        callId: 'c',
        cseq: 1,
        source: { transport: 'udp', address: '192.0.2.5', port: 5060 },
        userAgent: null,
        registeredAt: Date.now(),
      },
    );
    const tenant = await directory.tenantDirectory(acme.tenantId);
    expect(tenant.extension('101')).toMatchObject({ number: '101', doNotDisturb: false });
    expect(tenant.extension('102')).toBeUndefined();
    expect(tenant.isRegistered('101')).toBe(true);
    expect((await directory.tenantDirectory(globex.tenantId)).isRegistered('101')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { LocationService, type Binding } from './location-service.ts';

const aor = { tenantId: 't1', user: '101' };

function binding(contact: string, overrides: Partial<Binding> = {}): Binding {
  return {
    contact,
    expiresAt: 10_000,
    q: null,
    callId: 'call-1',
    cseq: 1,
    source: { transport: 'udp', address: '203.0.113.5', port: 40000 },
    userAgent: 'baresip',
    registeredAt: 0,
    ...overrides,
  };
}

describe('LocationService', () => {
  it('keeps several contacts per AOR, best q first, and refreshes one in place', () => {
    const location = new LocationService();
    location.upsert(aor, binding('<sip:101@10.0.0.2:5060>', { q: 0.5 }));
    location.upsert(aor, binding('<sip:101@10.0.0.3:5060>', { q: 1 }));
    location.upsert(
      aor,
      binding('<sip:101@10.0.0.2:5060>', { q: 0.5, cseq: 2, expiresAt: 20_000 }),
    );
    const live = location.lookup(aor, 0);
    expect(live.map((b) => [b.contact, b.cseq])).toEqual([
      ['<sip:101@10.0.0.3:5060>', 1],
      ['<sip:101@10.0.0.2:5060>', 2],
    ]);
    expect(location.lookup({ tenantId: 't2', user: '101' }, 0)).toEqual([]);
  });

  it('forgets expired contacts in lookups and sweeps them away', () => {
    const location = new LocationService();
    location.upsert(aor, binding('<sip:a@h>', { expiresAt: 100 }));
    location.upsert(aor, binding('<sip:b@h>', { expiresAt: 300 }));
    expect(location.lookup(aor, 200).map((b) => b.contact)).toEqual(['<sip:b@h>']);
    expect(location.sweep(200)).toBe(1);
    expect(location.sweep(400)).toBe(1);
    expect(location.listTenant('t1', 0)).toEqual([]);
  });

  it('caps contacts per AOR and removes one or all', () => {
    const location = new LocationService(2);
    expect(location.upsert(aor, binding('<sip:a@h>'))).toBe(true);
    expect(location.upsert(aor, binding('<sip:b@h>'))).toBe(true);
    expect(location.upsert(aor, binding('<sip:c@h>'))).toBe(false);
    expect(location.upsert(aor, binding('<sip:b@h>', { cseq: 9 }))).toBe(true);
    location.remove(aor, '<sip:a@h>');
    expect(location.lookup(aor, 0).map((b) => b.contact)).toEqual(['<sip:b@h>']);
    location.removeAll(aor);
    expect(location.lookup(aor, 0)).toEqual([]);
  });

  it('lists a tenant’s registrations only', () => {
    const location = new LocationService();
    location.upsert(aor, binding('<sip:a@h>'));
    location.upsert({ tenantId: 't2', user: '101' }, binding('<sip:x@h>'));
    expect(location.listTenant('t1', 0)).toEqual([
      expect.objectContaining({ tenantId: 't1', user: '101', contact: '<sip:a@h>' }),
    ]);
  });
});

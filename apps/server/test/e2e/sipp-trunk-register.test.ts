import type { TrunkRegistration } from '@provod/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';
import { carrierAccount, providerRegistrar } from '../sipp/carrier-scenarios.ts';
import { startSipp } from '../sipp/run-sipp.ts';
import { sippSession } from '../sipp/sipp-session.ts';
import { startProvodUnderTest, type ProvodUnderTest } from './provod-under-test.ts';

/**
 * A trunk with `register: true` registers Provod with the provider (sipp as its
 * registrar): the 401 answered with the trunk's credentials (checked by sipp's
 * verifyauth), the granted two seconds refreshed after one, the state in the API.
 */
describe('trunk registration with a provider, sipp as the registrar', () => {
  let provod: ProvodUnderTest;
  beforeEach(async () => {
    provod = await startProvodUnderTest('sipp-trunk-register', undefined, (config) => ({
      ...config,
      sip: { ...config.sip, trunkReconcileSeconds: 1 },
    }));
  });
  afterEach(() => provod.stop());

  it('registers with digest, refreshes before the grant runs out, and shows it', async () => {
    const registrarPort = await freePort();
    const sipp = sippSession(provod, 'carrier.example');
    const registrar = startSipp(
      [
        '-sf',
        sipp.scenario('registrar', providerRegistrar(2)),
        ...sipp.args(registrarPort, 'registrar'),
      ],
      30_000,
    );
    await provod.api('POST', '/api/v1/trunks', {
      name: 'provider',
      host: '127.0.0.1',
      port: registrarPort,
      register: true,
      registerExpiresSeconds: 120,
      username: carrierAccount.username,
      password: carrierAccount.password,
    });
    const done = await registrar.done;
    expect(done.code, done.output).toBe(0);
    const [registration] = await provod.api<TrunkRegistration[]>(
      'GET',
      '/api/v1/trunks/registrations',
    );
    expect(registration).toMatchObject({ name: 'provider', state: 'registered' });
    const left = Date.parse(registration?.expiresAt ?? '') - Date.now();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(2000);
  }, 40_000);
});

import { listRegisteringTrunks } from '@provod/db';
import {
  TrunkRegistration,
  type RegisteringTrunk,
  type SipNetwork,
  type TrunkRegistrationState,
} from '@provod/pbx';
import type { Logger } from 'pino';
import type { ServiceDeps } from '../services/service-context.ts';

/** The trunks that must be registered now, from the database. */
export async function registeringTrunks(deps: ServiceDeps): Promise<RegisteringTrunk[]> {
  const trunks = await listRegisteringTrunks(deps.database.db);
  return trunks.flatMap((trunk) =>
    trunk.username === null || trunk.password === null
      ? []
      : [
          {
            trunkId: trunk.id,
            tenantId: trunk.tenantId,
            name: trunk.name,
            destination: { transport: trunk.transport, address: trunk.host, port: trunk.port },
            domain: trunk.fromDomain ?? trunk.host,
            user: trunk.username,
            account: { username: trunk.authUsername ?? trunk.username, password: trunk.password },
            expiresSeconds: trunk.registerExpiresSeconds,
          },
        ],
  );
}

export interface TrunkRegistrationKeeper {
  /** Starts registrations for new trunks, restarts changed ones, stops removed ones. */
  reconcile(): Promise<void>;
  /** Unregisters everything (shutdown). */
  stop(): void;
}

/**
 * Keeps the instance's registering trunks registered with their providers, reading the
 * database every `intervalMs` (a trunk saved through the API is picked up within it) and
 * reporting each one's state into `states`, which the API shows.
 */
export function keepTrunksRegistered(options: {
  list: () => Promise<RegisteringTrunk[]>;
  network: SipNetwork;
  clock: () => Date;
  states: Map<string, { tenantId: string; name: string; state: TrunkRegistrationState }>;
  logger: Logger;
  intervalMs?: number;
}): TrunkRegistrationKeeper {
  const running = new Map<string, { registration: TrunkRegistration; fingerprint: string }>();
  let stopped = false;

  async function reconcile(): Promise<void> {
    const wanted = await options.list();
    if (stopped) return;
    const seen = new Set<string>();
    for (const trunk of wanted) {
      seen.add(trunk.trunkId);
      const fingerprint = JSON.stringify(trunk);
      const current = running.get(trunk.trunkId);
      if (current?.fingerprint === fingerprint) continue;
      current?.registration.stop();
      const registration = new TrunkRegistration(trunk, options.network, options.clock, (state) => {
        options.states.set(trunk.trunkId, { tenantId: trunk.tenantId, name: trunk.name, state });
        if (state.kind === 'failed') {
          options.logger.warn({ trunkId: trunk.trunkId, state }, 'trunk registration failed');
        }
      });
      running.set(trunk.trunkId, { registration, fingerprint });
      options.states.set(trunk.trunkId, {
        tenantId: trunk.tenantId,
        name: trunk.name,
        state: registration.state,
      });
      registration.start();
    }
    for (const [trunkId, { registration }] of running) {
      if (seen.has(trunkId)) continue;
      registration.stop();
      running.delete(trunkId);
      options.states.delete(trunkId);
    }
  }

  const tick = () => {
    reconcile().catch((error: unknown) =>
      options.logger.error({ err: error }, 'trunk registrations not reconciled'),
    );
  };
  const interval = setInterval(tick, options.intervalMs ?? 30_000);
  interval.unref();
  return {
    reconcile,
    stop() {
      stopped = true;
      clearInterval(interval);
      for (const { registration } of running.values()) registration.stop();
      running.clear();
    },
  };
}

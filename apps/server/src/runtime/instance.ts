import { join } from 'node:path';
import {
  migrateToLatest,
  openDatabase,
  systemClock,
  type Clock,
  type DatabaseHandle,
} from '@provod/db';
import type { ProvodConfig } from '../config/config.ts';
import { createServices, type Services } from './services.ts';

export interface Instance {
  config: ProvodConfig;
  database: DatabaseHandle;
  services: Services;
  close(): Promise<void>;
}

/**
 * Opens the instance's database (PostgreSQL when configured, else SQLite under the data
 * directory), brings its schema up to date, and builds the services. `provod start` and
 * every CLI command go through here, so they act on the same data the same way.
 */
export async function openInstance(
  config: ProvodConfig,
  clock: Clock = systemClock,
): Promise<Instance> {
  const database = openDatabase(
    config.database.url !== undefined
      ? { kind: 'postgres', url: config.database.url }
      : { kind: 'sqlite', file: join(config.dataDir, 'provod.sqlite') },
  );
  try {
    await migrateToLatest(database.raw);
  } catch (error) {
    await database.close();
    throw error;
  }
  const services = createServices(
    { database, clock, dataDir: config.dataDir },
    {
      sessionTtlHours: config.sessionTtlHours,
      sipWebSocketPath: config.sip.webSocketPath,
      publicUrl: config.http.publicUrl ?? `http://localhost:${config.http.port}`,
      amocrmApp: config.crm.amocrm,
    },
  );
  return { config, database, services, close: () => database.close() };
}

export type * from './schema.ts';
export {
  openDatabase,
  type DatabaseHandle,
  type DatabaseTarget,
  type DialectName,
  type OpenDatabaseOptions,
} from './connect.ts';
export { migrateToLatest, type MigrationReport } from './migrator.ts';
export { TenantScope, type Executor } from './tenant-scope.ts';
export { newId } from './ids.ts';
export { systemClock, isoNow, type Clock } from './clock.ts';
export { isUniqueViolation } from './db-errors.ts';
export { encodeCursor, decodeCursor } from './cursor.ts';
export * from './repositories/tenants.ts';
export * from './repositories/users.ts';
export * from './repositories/identity.ts';
export * from './repositories/extensions.ts';
export * from './repositories/routing-schemes.ts';
export * from './repositories/phone-numbers.ts';
export * from './repositories/trunks.ts';
export * from './repositories/node-secrets.ts';
export * from './repositories/sound-files.ts';
export * from './repositories/audit.ts';
export * from './jobs/job-queue.ts';
export * from './repositories/calls.ts';
export * from './repositories/recordings.ts';
export * from './repositories/voicemail.ts';
export * from './repositories/crm.ts';

import { ProvodError, type Actor, type Role } from '@provod/contracts';
import {
  auditWriter,
  isUniqueViolation,
  TenantScope,
  type AuditWriter,
  type Clock,
  type DatabaseHandle,
  type Executor,
} from '@provod/db';

/** What every service needs from the process: the database, the clock, where files live. */
export interface ServiceDeps {
  database: DatabaseHandle;
  clock: Clock;
  /** Root of the instance's files: sounds/, recordings/, voicemail/ below it. */
  dataDir: string;
  /** log2 of scrypt's N for new password hashes; lower only in tests. */
  passwordCost?: number;
}

/** Who is acting, and on which tenant's data. Built by the HTTP auth layer or the CLI. */
export interface TenantContext {
  tenantId: string;
  actor: Actor;
  role: Role;
}

export interface TenantUnitOfWork {
  scope: TenantScope;
  audit: AuditWriter;
  record: (
    action: string,
    entityType: string,
    entityId: string,
    before: unknown,
    after: unknown,
  ) => Promise<void>;
}

/**
 * Runs a tenant write in one transaction with its audit line (and the jobs it enqueues),
 * so a change is never half-made nor made unrecorded. Given an `outer` executor (one
 * transaction spanning several services, as sign-up does), it joins that instead.
 */
export function inTenantTransaction<T>(
  deps: ServiceDeps,
  ctx: TenantContext,
  work: (unit: TenantUnitOfWork) => Promise<T>,
  outer?: Executor,
): Promise<T> {
  const run = (executor: Executor) => {
    const audit = auditWriter(executor, deps.clock);
    return work({
      scope: new TenantScope(executor, ctx.tenantId),
      audit,
      record: (action, entityType, entityId, before, after) =>
        audit.record({
          tenantId: ctx.tenantId,
          actor: ctx.actor,
          action,
          entityType,
          entityId,
          before,
          after,
        }),
    });
  };
  return outer ? run(outer) : deps.database.db.transaction().execute(run);
}

export function tenantScope(deps: ServiceDeps, ctx: TenantContext): TenantScope {
  return new TenantScope(deps.database.db, ctx.tenantId);
}

/** Secrets never reach the audit log: the log says that a secret changed, not its value. */
export function redactSecrets<T extends object>(value: T, keys: readonly string[]): T {
  const copy = { ...value } as Record<string, unknown>;
  for (const key of keys) if (key in copy && copy[key] !== null) copy[key] = '[redacted]';
  return copy as T;
}

/** The one "no such object" error; another tenant's object is reported the same way. */
export function notFoundError(entity: string, id: string): never {
  throw new ProvodError('not_found', `${entity} ${id} not found`);
}

/** For `.catch()` on an insert or update: a unique-index violation becomes `conflict`. */
export function conflictOnUniqueViolation(conflict: () => ProvodError) {
  return (error: unknown): never => {
    if (isUniqueViolation(error)) throw conflict();
    throw error;
  };
}

import type { Actor, AuditEntry, AuditQuery, Page } from '@provod/contracts';
import { actorTypeSchema } from '@provod/contracts';
import { isoNow, type Clock } from '../clock.ts';
import { pageNewestFirst } from '../cursor.ts';
import { newId } from '../ids.ts';
import type { Executor, TenantScope } from '../tenant-scope.ts';

export interface AuditRecord {
  tenantId: string | null;
  actor: Actor;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/**
 * "Why did my settings change?" is answered from here: every write through a service
 * records who, what, and the object before and after, in the write's own transaction.
 */
export function auditWriter(db: Executor, clock: Clock) {
  return {
    async record(entry: AuditRecord): Promise<void> {
      await db
        .insertInto('auditLog')
        .values({
          id: newId(clock().getTime()),
          tenantId: entry.tenantId,
          actorType: entry.actor.type,
          actorId: entry.actor.id,
          action: entry.action,
          entityType: entry.entityType,
          entityId: entry.entityId,
          before:
            entry.before === undefined || entry.before === null
              ? null
              : JSON.stringify(entry.before),
          after:
            entry.after === undefined || entry.after === null ? null : JSON.stringify(entry.after),
          createdAt: isoNow(clock),
        })
        .execute();
    },
  };
}

export type AuditWriter = ReturnType<typeof auditWriter>;

export function auditReader(scope: TenantScope) {
  return {
    list(query: AuditQuery): Promise<Page<AuditEntry>> {
      return pageNewestFirst(
        query,
        (olderThanId, take) => {
          let select = scope.selectFrom('auditLog').selectAll().orderBy('id', 'desc').limit(take);
          if (query.entityType !== undefined) {
            select = select.where('entityType', '=', query.entityType);
          }
          if (query.entityId !== undefined) select = select.where('entityId', '=', query.entityId);
          if (olderThanId !== undefined) select = select.where('id', '<', olderThanId);
          return select.execute();
        },
        (row) => ({
          id: row.id,
          actorType: actorTypeSchema.parse(row.actorType),
          actorId: row.actorId,
          action: row.action,
          entityType: row.entityType,
          entityId: row.entityId,
          before: row.before === null ? null : (JSON.parse(row.before) as unknown),
          after: row.after === null ? null : (JSON.parse(row.after) as unknown),
          createdAt: row.createdAt,
        }),
      );
    },
  };
}

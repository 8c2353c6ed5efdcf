import {
  ProvodError,
  tenantCreateSchema,
  type Actor,
  type BalanceAdjustment,
  type Tenant,
  type TenantCreate,
  type TenantSettingsUpdate,
  type TenantStaffUpdate,
} from '@provod/contracts';
import { auditWriter, isUniqueViolation, tenantRepository, type Executor } from '@provod/db';
import type { ServiceDeps, TenantContext } from './service-context.ts';

/**
 * Tenants: created at sign-up, by the CLI or by staff; settings changed by the tenant's
 * owner/admin; status, SIP domain and balance by the operator's staff.
 */
export function tenantService(deps: ServiceDeps) {
  const repo = (db: Executor = deps.database.db) => tenantRepository(db, deps.clock);

  async function mustGet(id: string, db?: Executor): Promise<Tenant> {
    const tenant = await repo(db).get(id);
    if (!tenant) throw new ProvodError('not_found', `tenant ${id} not found`);
    return tenant;
  }

  async function applyUpdate(id: string, patch: TenantStaffUpdate, actor: Actor): Promise<Tenant> {
    return deps.database.db.transaction().execute(async (trx) => {
      const before = await mustGet(id, trx);
      const after = await repo(trx)
        .update(id, patch)
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) {
            throw new ProvodError('conflict', `SIP domain ${patch.sipDomain ?? ''} is taken`, [
              { path: 'sipDomain', message: 'already taken' },
            ]);
          }
          throw error;
        });
      await auditWriter(trx, deps.clock).record({
        tenantId: id,
        actor,
        action: 'update',
        entityType: 'tenant',
        entityId: id,
        before,
        after,
      });
      return after ?? before;
    });
  }

  return {
    list: () => repo().list(),
    count: () => repo().count(),
    get: (id: string) => mustGet(id),
    findBySlug: (slug: string) => repo().findBySlug(slug),

    /** Creates a tenant inside the caller's transaction (sign-up makes its owner in the same one). */
    async create(
      input: TenantCreate,
      actor: Actor,
      db: Executor = deps.database.db,
    ): Promise<Tenant> {
      const fields = tenantCreateSchema.parse(input);
      const sipDomain = fields.sipDomain ?? `${fields.slug}.provod.local`;
      const tenants = repo(db);
      if (await tenants.findBySlug(fields.slug)) {
        throw new ProvodError('conflict', `tenant ${fields.slug} already exists`, [
          { path: 'slug', message: 'already taken' },
        ]);
      }
      if (await tenants.findBySipDomain(sipDomain)) {
        throw new ProvodError('conflict', `SIP domain ${sipDomain} is taken`, [
          { path: 'sipDomain', message: 'already taken' },
        ]);
      }
      const tenant = await tenants.create({
        slug: fields.slug,
        name: fields.name,
        sipDomain,
        timeZone: fields.timeZone,
        language: fields.language,
        recordingRetentionDays: fields.recordingRetentionDays,
        currency: fields.currency,
      });
      await auditWriter(db, deps.clock).record({
        tenantId: tenant.id,
        actor,
        action: 'create',
        entityType: 'tenant',
        entityId: tenant.id,
        before: null,
        after: tenant,
      });
      return tenant;
    },

    updateSettings: (ctx: TenantContext, patch: TenantSettingsUpdate) =>
      applyUpdate(ctx.tenantId, patch, ctx.actor),

    updateByStaff: (id: string, patch: TenantStaffUpdate, actor: Actor) =>
      applyUpdate(id, patch, actor),

    async adjustBalance(id: string, adjustment: BalanceAdjustment, actor: Actor): Promise<Tenant> {
      return deps.database.db.transaction().execute(async (trx) => {
        const before = await mustGet(id, trx);
        const after =
          (await repo(trx).adjustBalance(
            id,
            adjustment.amountMinor,
            adjustment.reason,
            `${actor.type}:${actor.id ?? ''}`,
          )) ?? before;
        await auditWriter(trx, deps.clock).record({
          tenantId: id,
          actor,
          action: 'adjust_balance',
          entityType: 'tenant',
          entityId: id,
          before: { balanceMinor: before.balanceMinor },
          after: { balanceMinor: after.balanceMinor, reason: adjustment.reason },
        });
        return after;
      });
    },
  };
}

export type TenantService = ReturnType<typeof tenantService>;

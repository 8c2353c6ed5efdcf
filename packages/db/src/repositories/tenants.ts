import { languageSchema, tenantStatusSchema, type Tenant } from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { TenantTable } from '../schema.ts';
import type { Executor } from '../tenant-scope.ts';

export interface NewTenant {
  slug: string;
  name: string;
  sipDomain: string;
  timeZone: string;
  language: Tenant['language'];
  recordingRetentionDays: number;
  currency: string;
}

export type TenantPatch = Partial<
  Pick<Tenant, 'name' | 'timeZone' | 'language' | 'recordingRetentionDays' | 'status' | 'sipDomain'>
>;

/** Tenants are the root of isolation, so this repository is not tenant-scoped itself. */
export function tenantRepository(db: Executor, clock: Clock) {
  const repository = {
    async list(): Promise<Tenant[]> {
      const rows = await db.selectFrom('tenants').selectAll().orderBy('slug').execute();
      return rows.map(toTenant);
    },

    async count(): Promise<number> {
      const row = await db
        .selectFrom('tenants')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async get(id: string): Promise<Tenant | undefined> {
      const row = await db
        .selectFrom('tenants')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toTenant(row);
    },

    async findBySlug(slug: string): Promise<Tenant | undefined> {
      const row = await db
        .selectFrom('tenants')
        .selectAll()
        .where('slug', '=', slug)
        .executeTakeFirst();
      return row && toTenant(row);
    },

    async findBySipDomain(sipDomain: string): Promise<Tenant | undefined> {
      const row = await db
        .selectFrom('tenants')
        .selectAll()
        .where('sipDomain', '=', sipDomain)
        .executeTakeFirst();
      return row && toTenant(row);
    },

    async create(input: NewTenant): Promise<Tenant> {
      const now = isoNow(clock);
      const row = {
        id: newId(clock().getTime()),
        ...input,
        balanceMinor: 0,
        status: 'active',
        createdAt: now,
        updatedAt: now,
      };
      await db.insertInto('tenants').values(row).execute();
      return toTenant(row);
    },

    async update(id: string, patch: TenantPatch): Promise<Tenant | undefined> {
      await db
        .updateTable('tenants')
        .set({ ...patch, updatedAt: isoNow(clock) })
        .where('id', '=', id)
        .execute();
      return repository.get(id);
    },

    /** Adds to the balance atomically and writes the ledger line; returns the new balance. */
    async adjustBalance(id: string, amountMinor: number, reason: string, actor: string) {
      const now = isoNow(clock);
      await db
        .updateTable('tenants')
        .set((eb) => ({ balanceMinor: eb('balanceMinor', '+', amountMinor), updatedAt: now }))
        .where('id', '=', id)
        .execute();
      await db
        .insertInto('balanceTransactions')
        .values({
          id: newId(clock().getTime()),
          tenantId: id,
          amountMinor,
          reason,
          actor,
          createdAt: now,
        })
        .execute();
      return repository.get(id);
    },
  };
  return repository;
}

export type TenantRepository = ReturnType<typeof tenantRepository>;

function toTenant(row: Selectable<TenantTable>): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    sipDomain: row.sipDomain,
    timeZone: row.timeZone,
    language: languageSchema.parse(row.language),
    recordingRetentionDays: row.recordingRetentionDays,
    balanceMinor: Number(row.balanceMinor),
    currency: row.currency,
    status: tenantStatusSchema.parse(row.status),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

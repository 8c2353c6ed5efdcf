import type { PhoneNumber } from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { PhoneNumberTable } from '../schema.ts';
import type { Executor, TenantScope } from '../tenant-scope.ts';

export type PhoneNumberRecord = PhoneNumber;

export interface NewPhoneNumber {
  e164: string;
  label: string;
  routingSchemeId: string | null;
  trunkId: string | null;
}

export type PhoneNumberPatch = Partial<Omit<NewPhoneNumber, 'e164'>>;

/**
 * A tenant's phone numbers. The E.164 column is unique across all tenants (one number
 * rings one company), so a duplicate insert fails with a unique violation even when the
 * other row is invisible through this scope; callers map it to a conflict.
 */
export function phoneNumberRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    async list(): Promise<PhoneNumberRecord[]> {
      const rows = await scope.selectFrom('phoneNumbers').selectAll().orderBy('e164').execute();
      return rows.map(toRecord);
    },

    async get(id: string): Promise<PhoneNumberRecord | undefined> {
      const row = await scope
        .selectFrom('phoneNumbers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    async findByE164(e164: string): Promise<PhoneNumberRecord | undefined> {
      const row = await scope
        .selectFrom('phoneNumbers')
        .selectAll()
        .where('e164', '=', e164)
        .executeTakeFirst();
      return row && toRecord(row);
    },

    /** Whether `id` is one of this tenant's routing schemes (foreign keys do not check tenants). */
    async hasRoutingScheme(id: string): Promise<boolean> {
      const row = await scope
        .selectFrom('routingSchemes')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      return row !== undefined;
    },

    async create(input: NewPhoneNumber): Promise<PhoneNumberRecord> {
      const now = isoNow(clock);
      const id = newId(clock().getTime());
      await scope
        .insertInto('phoneNumbers', { id, ...input, createdAt: now, updatedAt: now })
        .execute();
      return { id, ...input, createdAt: now, updatedAt: now };
    },

    async update(id: string, patch: PhoneNumberPatch): Promise<PhoneNumberRecord | undefined> {
      const current = await repository.get(id);
      if (!current) return undefined;
      const next = { ...current, ...patch, updatedAt: isoNow(clock) };
      await scope
        .updateTable('phoneNumbers', {
          label: next.label,
          routingSchemeId: next.routingSchemeId,
          trunkId: next.trunkId,
          updatedAt: next.updatedAt,
        })
        .where('id', '=', id)
        .execute();
      return next;
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('phoneNumbers').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
  return repository;
}

export type PhoneNumberRepository = ReturnType<typeof phoneNumberRepository>;

/**
 * Whose number this is, across all tenants: only the SIP edge asks, because a carrier's
 * INVITE names a number, not a tenant. Everything else reads numbers through a tenant's
 * scope (phoneNumberRepository).
 */
export async function findPhoneNumberOwner(
  db: Executor,
  e164: string,
): Promise<{ readonly tenantId: string; readonly number: PhoneNumberRecord } | undefined> {
  const row = await db
    .selectFrom('phoneNumbers')
    .selectAll()
    .where('e164', '=', e164)
    .executeTakeFirst();
  return row && { tenantId: row.tenantId, number: toRecord(row) };
}

function toRecord(row: Selectable<PhoneNumberTable>): PhoneNumberRecord {
  return {
    id: row.id,
    e164: row.e164,
    label: row.label,
    routingSchemeId: row.routingSchemeId,
    trunkId: row.trunkId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

import {
  phoneNumberCreateSchema,
  phoneNumberUpdateSchema,
  ProvodError,
  type ErrorDetail,
  type PhoneNumberCreate,
  type PhoneNumberUpdate,
} from '@provod/contracts';
import {
  phoneNumberRepository,
  trunkRepository,
  type Clock,
  type PhoneNumberRecord,
  type TenantScope,
} from '@provod/db';
import {
  conflictOnUniqueViolation,
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

export function phoneNumberService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => phoneNumberRepository(tenantScope(deps, ctx), deps.clock);

  return {
    list: (ctx: TenantContext) => read(ctx).list(),

    async get(ctx: TenantContext, id: string): Promise<PhoneNumberRecord> {
      return (await read(ctx).get(id)) ?? notFound(id);
    },

    async create(ctx: TenantContext, input: PhoneNumberCreate): Promise<PhoneNumberRecord> {
      const fields = phoneNumberCreateSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = phoneNumberRepository(scope, deps.clock);
        await checkReferences(scope, deps.clock, fields);
        // The number may belong to another tenant, invisible here: the unique index decides.
        const created = await repo.create(fields).catch(rethrowConflict(fields.e164));
        await record('create', 'phone_number', created.id, null, created);
        return created;
      });
    },

    async update(
      ctx: TenantContext,
      id: string,
      input: PhoneNumberUpdate,
    ): Promise<PhoneNumberRecord> {
      const patch = phoneNumberUpdateSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = phoneNumberRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        await checkReferences(scope, deps.clock, patch);
        const after = (await repo.update(id, patch)) ?? notFound(id);
        await record('update', 'phone_number', id, before, after);
        return after;
      });
    },

    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = phoneNumberRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        await repo.delete(id);
        await record('delete', 'phone_number', id, before, null);
      });
    },
  };
}

export type PhoneNumberService = ReturnType<typeof phoneNumberService>;

/**
 * Foreign keys only say that a scheme or trunk exists somewhere; these lookups go through
 * the tenant scope, so another tenant's id reads exactly like an id that does not exist.
 */
async function checkReferences(
  scope: TenantScope,
  clock: Clock,
  refs: { routingSchemeId?: string | null; trunkId?: string | null },
): Promise<void> {
  const details: ErrorDetail[] = [];
  const numbers = phoneNumberRepository(scope, clock);
  if (refs.routingSchemeId && !(await numbers.hasRoutingScheme(refs.routingSchemeId))) {
    details.push({ path: 'routingSchemeId', message: 'no such routing scheme' });
  }
  if (refs.trunkId && !(await trunkRepository(scope, clock).get(refs.trunkId))) {
    details.push({ path: 'trunkId', message: 'no such trunk' });
  }
  if (details.length > 0) {
    throw new ProvodError(
      'validation_failed',
      details.map((d) => `${d.path ?? ''}: ${d.message}`).join('; '),
      details,
    );
  }
}

const notFound = (id: string): never => notFoundError('phone number', id);

const rethrowConflict = (e164: string) =>
  conflictOnUniqueViolation(
    () =>
      new ProvodError('conflict', `phone number ${e164} is already in use`, [
        { path: 'e164', message: 'already in use' },
      ]),
  );

import {
  ProvodError,
  trunkCreateSchema,
  trunkUpdateSchema,
  type ErrorDetail,
  type TrunkCreate,
  type TrunkUpdate,
} from '@provod/contracts';
import { trunkRepository, type NewTrunk, type TrunkRecord } from '@provod/db';
import {
  conflictOnUniqueViolation,
  notFoundError,
  inTenantTransaction,
  redactSecrets,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

const secretKeys = ['password'] as const;

export function trunkService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => trunkRepository(tenantScope(deps, ctx), deps.clock);

  return {
    list: (ctx: TenantContext) => read(ctx).list(),

    async get(ctx: TenantContext, id: string): Promise<TrunkRecord> {
      return (await read(ctx).get(id)) ?? notFound(id);
    },

    async create(ctx: TenantContext, input: TrunkCreate): Promise<TrunkRecord> {
      const fields = trunkCreateSchema.parse(input);
      checkRegistration(fields);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = trunkRepository(scope, deps.clock);
        if (await repo.findByName(fields.name)) conflict(fields.name);
        const created = await repo.create(fields).catch(rethrowConflict(fields.name));
        await record('create', 'trunk', created.id, null, redactSecrets(created, secretKeys));
        return created;
      });
    },

    async update(ctx: TenantContext, id: string, input: TrunkUpdate): Promise<TrunkRecord> {
      const patch = trunkUpdateSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = trunkRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        checkRegistration({ ...before, ...patch });
        if (patch.name !== undefined && patch.name !== before.name) {
          const holder = await repo.findByName(patch.name);
          if (holder && holder.id !== id) conflict(patch.name);
        }
        const after =
          (await repo.update(id, patch).catch(rethrowConflict(patch.name ?? before.name))) ??
          notFound(id);
        await record(
          'update',
          'trunk',
          id,
          redactSecrets(before, secretKeys),
          redactSecrets(after, secretKeys),
        );
        return after;
      });
    },

    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = trunkRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        // Numbers delivered by this trunk keep working through any trunk (trunk_id SET NULL).
        await repo.delete(id);
        await record('delete', 'trunk', id, redactSecrets(before, secretKeys), null);
      });
    },
  };
}

export type TrunkService = ReturnType<typeof trunkService>;

/** REGISTER is answered with a digest challenge (RFC 3261 §10.2, §22), so it needs credentials. */
function checkRegistration(trunk: Pick<NewTrunk, 'register' | 'username' | 'password'>): void {
  if (!trunk.register) return;
  const details: ErrorDetail[] = [];
  if (trunk.username === null) {
    details.push({ path: 'username', message: 'required when register is true' });
  }
  if (trunk.password === null) {
    details.push({ path: 'password', message: 'required when register is true' });
  }
  if (details.length > 0) {
    throw new ProvodError(
      'validation_failed',
      details.map((d) => `${d.path ?? ''}: ${d.message}`).join('; '),
      details,
    );
  }
}

const notFound = (id: string): never => notFoundError('trunk', id);

const conflictError = (name: string) =>
  new ProvodError('conflict', `trunk "${name}" already exists`, [
    { path: 'name', message: 'already taken' },
  ]);

function conflict(name: string): never {
  throw conflictError(name);
}

const rethrowConflict = (name: string) => conflictOnUniqueViolation(() => conflictError(name));

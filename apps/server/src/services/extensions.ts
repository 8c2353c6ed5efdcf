import {
  extensionCreateSchema,
  ProvodError,
  type ExtensionCreate,
  type ExtensionUpdate,
} from '@provod/contracts';
import { extensionRepository, type ExtensionRecord } from '@provod/db';
import { generateSipPassword } from './generated-secrets.ts';
import {
  conflictOnUniqueViolation,
  notFoundError,
  inTenantTransaction,
  redactSecrets,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

const secretKeys = ['sipPassword'] as const;

export function extensionService(deps: ServiceDeps) {
  const read = (ctx: TenantContext) => extensionRepository(tenantScope(deps, ctx), deps.clock);

  return {
    list: (ctx: TenantContext) => read(ctx).list(),

    async get(ctx: TenantContext, id: string): Promise<ExtensionRecord> {
      return (await read(ctx).get(id)) ?? notFound(id);
    },

    async create(ctx: TenantContext, input: ExtensionCreate): Promise<ExtensionRecord> {
      const fields = extensionCreateSchema.parse(input);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = extensionRepository(scope, deps.clock);
        if (await repo.findByNumber(fields.number)) {
          throw new ProvodError('conflict', `extension ${fields.number} already exists`, [
            { path: 'number', message: 'already taken' },
          ]);
        }
        const created = await repo
          .create({ ...fields, sipPassword: fields.sipPassword ?? generateSipPassword() })
          .catch(rethrowConflict(fields.number));
        await record('create', 'extension', created.id, null, redactSecrets(created, secretKeys));
        return created;
      });
    },

    async update(ctx: TenantContext, id: string, patch: ExtensionUpdate): Promise<ExtensionRecord> {
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = extensionRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        const after = (await repo.update(id, patch)) ?? notFound(id);
        await record(
          'update',
          'extension',
          id,
          redactSecrets(before, secretKeys),
          redactSecrets(after, secretKeys),
        );
        return after;
      });
    },

    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const repo = extensionRepository(scope, deps.clock);
        const before = (await repo.get(id)) ?? notFound(id);
        await repo.delete(id);
        await record('delete', 'extension', id, redactSecrets(before, secretKeys), null);
      });
    },
  };
}

export type ExtensionService = ReturnType<typeof extensionService>;

const notFound = (id: string): never => notFoundError('extension', id);

const rethrowConflict = (number: string) =>
  conflictOnUniqueViolation(
    () => new ProvodError('conflict', `extension ${number} already exists`),
  );

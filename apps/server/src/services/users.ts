import {
  emailSchema,
  passwordSchema,
  ProvodError,
  userCreateSchema,
  type Actor,
  type StaffRole,
  type User,
  type UserCreate,
  type UserUpdate,
} from '@provod/contracts';
import {
  auditWriter,
  identityRepository,
  isUniqueViolation,
  userRepository,
  type Executor,
} from '@provod/db';
import { hashPassword } from '../auth/passwords.ts';
import {
  notFoundError,
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';

export function userService(deps: ServiceDeps) {
  return {
    /** Operator staff (back office): no tenant; created by the CLI or a superadmin. */
    async createStaff(
      input: { email: string; name: string; password: string; role: StaffRole },
      actor: Actor,
    ): Promise<User> {
      const email = emailSchema.parse(input.email);
      const passwordHash = await hashPassword(
        passwordSchema.parse(input.password),
        deps.passwordCost,
      );
      return deps.database.db.transaction().execute(async (trx) => {
        const created = await identityRepository(trx, deps.clock)
          .createStaffUser({ email, name: input.name, role: input.role, passwordHash })
          .catch((error: unknown) => {
            if (isUniqueViolation(error)) {
              throw new ProvodError('conflict', `a user with e-mail ${email} exists`);
            }
            throw error;
          });
        await auditWriter(trx, deps.clock).record({
          tenantId: null,
          actor,
          action: 'create',
          entityType: 'user',
          entityId: created.id,
          before: null,
          after: created,
        });
        return created;
      });
    },

    list: (ctx: TenantContext) => userRepository(tenantScope(deps, ctx), deps.clock).list(),

    async get(ctx: TenantContext, id: string): Promise<User> {
      return (await userRepository(tenantScope(deps, ctx), deps.clock).get(id)) ?? notFound(id);
    },

    /** `executor` lets sign-up create the owner in the tenant's own transaction. */
    async create(ctx: TenantContext, input: UserCreate, executor?: Executor): Promise<User> {
      const fields = userCreateSchema.parse(input);
      guardOwnerGrant(ctx, fields.role);
      const passwordHash = await hashPassword(fields.password, deps.passwordCost);
      return inTenantTransaction(
        deps,
        ctx,
        async ({ scope, record }) => {
          const user = await userRepository(scope, deps.clock)
            .create({ email: fields.email, name: fields.name, role: fields.role, passwordHash })
            .catch((error: unknown) => {
              if (isUniqueViolation(error)) {
                throw new ProvodError('conflict', `a user with e-mail ${fields.email} exists`, [
                  { path: 'email', message: 'already registered' },
                ]);
              }
              throw error;
            });
          await record('create', 'user', user.id, null, user);
          return user;
        },
        executor,
      );
    },

    async update(ctx: TenantContext, id: string, patch: UserUpdate): Promise<User> {
      const passwordHash =
        patch.password === undefined
          ? undefined
          : await hashPassword(patch.password, deps.passwordCost);
      if (patch.role !== undefined) guardOwnerGrant(ctx, patch.role);
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const users = userRepository(scope, deps.clock);
        const before = (await users.get(id)) ?? notFound(id);
        if (before.role === 'owner') guardOwnerGrant(ctx, 'owner');
        if (before.role === 'owner' && patch.role !== undefined && patch.role !== 'owner') {
          await guardLastOwner(users.countByRole('owner'));
        }
        const after =
          (await users.update(id, {
            ...(patch.name !== undefined && { name: patch.name }),
            ...(patch.role !== undefined && { role: patch.role }),
            ...(passwordHash !== undefined && { passwordHash }),
          })) ?? notFound(id);
        await record('update', 'user', id, before, {
          ...after,
          ...(passwordHash && { password: '[changed]' }),
        });
        return after;
      });
    },

    async delete(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const users = userRepository(scope, deps.clock);
        const before = (await users.get(id)) ?? notFound(id);
        if (before.role === 'owner') {
          guardOwnerGrant(ctx, 'owner');
          await guardLastOwner(users.countByRole('owner'));
        }
        await users.delete(id);
        await record('delete', 'user', id, before, null);
      });
    },
  };
}

export type UserService = ReturnType<typeof userService>;

/** Only an owner makes, changes or removes an owner; an admin cannot promote anyone to it. */
function guardOwnerGrant(ctx: TenantContext, role: User['role']): void {
  if (
    role === 'owner' &&
    ctx.role !== 'owner' &&
    ctx.actor.type !== 'cli' &&
    ctx.actor.type !== 'system'
  ) {
    throw new ProvodError('forbidden', 'only an owner may grant or change the owner role');
  }
}

async function guardLastOwner(ownerCount: Promise<number>): Promise<void> {
  if ((await ownerCount) <= 1) {
    throw new ProvodError('conflict', 'a tenant must keep at least one owner');
  }
}

const notFound = (id: string): never => notFoundError('user', id);

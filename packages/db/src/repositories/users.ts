import { roleSchema, type User } from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { UserTable } from '../schema.ts';
import type { TenantScope } from '../tenant-scope.ts';

export interface NewUser {
  email: string;
  name: string;
  role: User['role'];
  passwordHash: string;
}

export type UserPatch = Partial<Pick<NewUser, 'name' | 'role' | 'passwordHash'>>;

/** A tenant's people. Staff users (no tenant) live in the identity repository. */
export function userRepository(scope: TenantScope, clock: Clock) {
  const repository = {
    async list(): Promise<User[]> {
      const rows = await scope.selectFrom('users').selectAll().orderBy('email').execute();
      return rows.map(toUser);
    },

    async get(id: string): Promise<User | undefined> {
      const row = await scope
        .selectFrom('users')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toUser(row);
    },

    async create(input: NewUser): Promise<User> {
      const now = isoNow(clock);
      const id = newId(clock().getTime());
      await scope.insertInto('users', { id, ...input, createdAt: now, updatedAt: now }).execute();
      return toUser({ id, tenantId: scope.tenantId, ...input, createdAt: now, updatedAt: now });
    },

    async update(id: string, patch: UserPatch): Promise<User | undefined> {
      const result = await scope
        .updateTable('users', { ...patch, updatedAt: isoNow(clock) })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows === 0n ? undefined : repository.get(id);
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('users').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async countByRole(role: User['role']): Promise<number> {
      const row = await scope
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('role', '=', role)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
  return repository;
}

export type UserRepository = ReturnType<typeof userRepository>;

export function toUser(row: Selectable<UserTable>): User {
  return {
    id: row.id,
    tenantId: row.tenantId,
    email: row.email,
    name: row.name,
    role: roleSchema.parse(row.role),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

import { tenantRoleSchema, type ApiKey, type User } from '@provod/contracts';
import type { Selectable } from 'kysely';
import { isoNow, type Clock } from '../clock.ts';
import { newId } from '../ids.ts';
import type { ApiKeyTable, UserTable } from '../schema.ts';
import type { Executor, TenantScope } from '../tenant-scope.ts';
import { toUser } from './users.ts';

/**
 * Look-ups that must happen before the tenant is known: a login by e-mail, a session
 * cookie, an API key. They return who the caller is, tenant id included, and from then
 * on everything goes through that tenant's scope.
 */
export function identityRepository(db: Executor, clock: Clock) {
  return {
    async findUserByEmail(email: string): Promise<(User & { passwordHash: string }) | undefined> {
      const row = await db
        .selectFrom('users')
        .selectAll()
        .where('email', '=', email)
        .executeTakeFirst();
      return row && { ...toUser(row), passwordHash: row.passwordHash };
    },

    async getUser(id: string): Promise<User | undefined> {
      const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    async createStaffUser(
      input: Omit<Selectable<UserTable>, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>,
    ) {
      const now = isoNow(clock);
      const row = {
        id: newId(clock().getTime()),
        tenantId: null,
        ...input,
        createdAt: now,
        updatedAt: now,
      };
      await db.insertInto('users').values(row).execute();
      return toUser(row);
    },

    async createSession(session: {
      idHash: string;
      userId: string;
      csrfToken: string;
      expiresAt: string;
    }) {
      await db
        .insertInto('sessions')
        .values({
          id: session.idHash,
          userId: session.userId,
          csrfToken: session.csrfToken,
          createdAt: isoNow(clock),
          expiresAt: session.expiresAt,
        })
        .execute();
    },

    async findSession(idHash: string) {
      return db
        .selectFrom('sessions')
        .selectAll()
        .where('id', '=', idHash)
        .where('expiresAt', '>', isoNow(clock))
        .executeTakeFirst();
    },

    async deleteSession(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id', '=', idHash).execute();
    },

    async deleteExpiredSessions(): Promise<void> {
      await db.deleteFrom('sessions').where('expiresAt', '<=', isoNow(clock)).execute();
    },

    async deleteSessionsOfUser(userId: string): Promise<void> {
      await db.deleteFrom('sessions').where('userId', '=', userId).execute();
    },

    async findApiKeyBySecretHash(secretHash: string) {
      const row = await db
        .selectFrom('apiKeys')
        .selectAll()
        .where('secretHash', '=', secretHash)
        .executeTakeFirst();
      return row && { ...toApiKey(row), tenantId: row.tenantId };
    },

    async touchApiKey(id: string): Promise<void> {
      await db
        .updateTable('apiKeys')
        .set({ lastUsedAt: isoNow(clock) })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type IdentityRepository = ReturnType<typeof identityRepository>;

export function apiKeyRepository(scope: TenantScope, clock: Clock) {
  return {
    async list(): Promise<ApiKey[]> {
      const rows = await scope.selectFrom('apiKeys').selectAll().orderBy('createdAt').execute();
      return rows.map(toApiKey);
    },

    async get(id: string): Promise<ApiKey | undefined> {
      const row = await scope
        .selectFrom('apiKeys')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row && toApiKey(row);
    },

    async create(input: {
      name: string;
      prefix: string;
      secretHash: string;
      role: ApiKey['role'];
      createdBy: string | null;
    }): Promise<ApiKey> {
      const row = {
        id: newId(clock().getTime()),
        ...input,
        createdAt: isoNow(clock),
        lastUsedAt: null,
      };
      await scope.insertInto('apiKeys', row).execute();
      return toApiKey({ ...row, tenantId: scope.tenantId });
    },

    async delete(id: string): Promise<boolean> {
      const result = await scope.deleteFrom('apiKeys').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof apiKeyRepository>;

function toApiKey(row: Selectable<ApiKeyTable>): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: tenantRoleSchema.parse(row.role),
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
  };
}

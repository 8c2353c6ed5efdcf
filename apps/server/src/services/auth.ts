import {
  ProvodError,
  signupSchema,
  type ApiKeyCreate,
  type ApiKeyCreated,
  type Session,
  type Signup,
  type User,
} from '@provod/contracts';
import { apiKeyRepository, identityRepository } from '@provod/db';
import { LoginThrottle } from '../auth/login-throttle.ts';
import { verifyPassword } from '../auth/passwords.ts';
import type { Principal } from '../auth/principal.ts';
import { apiKeyPrefix, hashToken } from '../auth/tokens.ts';
import { generateToken } from './generated-secrets.ts';
import {
  inTenantTransaction,
  tenantScope,
  type ServiceDeps,
  type TenantContext,
} from './service-context.ts';
import type { TenantService } from './tenants.ts';
import type { UserService } from './users.ts';

// A fixed hash to verify against when the e-mail is unknown, so a login takes as long
// for a missing user as for a wrong password (no account enumeration by timing).
const decoyHash =
  'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

export interface SessionTicket {
  /** The cookie value; only its hash is stored. */
  token: string;
  session: Session;
}

export function authService(
  deps: ServiceDeps,
  tenants: TenantService,
  users: UserService,
  options: { sessionTtlHours: number },
) {
  const identity = () => identityRepository(deps.database.db, deps.clock);
  const throttle = new LoginThrottle(deps.clock);

  async function openSession(user: User): Promise<SessionTicket> {
    const token = generateToken();
    const csrfToken = generateToken();
    const expiresAt = new Date(
      deps.clock().getTime() + options.sessionTtlHours * 3_600_000,
    ).toISOString();
    await identity().createSession({
      idHash: hashToken(token),
      userId: user.id,
      csrfToken,
      expiresAt,
    });
    return { token, session: { user, csrfToken, expiresAt } };
  }

  return {
    /** `sourceAddress` is the client's IP: failures are counted per account and per address. */
    async login(email: string, password: string, sourceAddress: string): Promise<SessionTicket> {
      const accountKey = `email:${email.toLowerCase()}`;
      const keys = [accountKey, `ip:${sourceAddress}`];
      throttle.check(keys);
      const user = await identity().findUserByEmail(email.toLowerCase());
      const valid = await verifyPassword(password, user?.passwordHash ?? decoyHash);
      if (!user || !valid) {
        throttle.recordFailure(keys);
        throw new ProvodError('invalid_credentials', 'wrong e-mail or password');
      }
      throttle.recordSuccess(accountKey);
      const { passwordHash: _hash, ...publicUser } = user;
      return openSession(publicUser);
    },

    async logout(token: string): Promise<void> {
      await identity().deleteSession(hashToken(token));
    },

    /** Sign-up: a new tenant and its owner in one transaction, then a session for the owner. */
    async signup(input: Signup): Promise<SessionTicket> {
      const fields = signupSchema.parse(input);
      const owner = await deps.database.db.transaction().execute(async (trx) => {
        const tenant = await tenants.create(
          { slug: fields.slug, name: fields.companyName },
          { type: 'system', id: null },
          trx,
        );
        const ctx: TenantContext = {
          tenantId: tenant.id,
          role: 'owner',
          actor: { type: 'system', id: null },
        };
        return users.create(
          ctx,
          { email: fields.email, name: fields.name, password: fields.password, role: 'owner' },
          trx,
        );
      });
      return openSession(owner);
    },

    async resolveSession(
      token: string,
    ): Promise<{ principal: Principal; session: Session } | undefined> {
      const session = await identity().findSession(hashToken(token));
      if (!session) return undefined;
      const user = await identity().getUser(session.userId);
      if (!user) return undefined;
      return {
        principal: {
          actor: { type: 'user', id: user.id },
          role: user.role,
          tenantId: user.tenantId,
          userId: user.id,
          csrfToken: session.csrfToken,
        },
        session: { user, csrfToken: session.csrfToken, expiresAt: session.expiresAt },
      };
    },

    async resolveApiKey(secret: string): Promise<Principal | undefined> {
      if (!secret.startsWith(apiKeyPrefix)) return undefined;
      const key = await identity().findApiKeyBySecretHash(hashToken(secret));
      if (!key) return undefined;
      await identity().touchApiKey(key.id);
      return {
        actor: { type: 'api_key', id: key.id },
        role: key.role,
        tenantId: key.tenantId,
        userId: null,
        csrfToken: null,
      };
    },

    listApiKeys: (ctx: TenantContext) =>
      apiKeyRepository(tenantScope(deps, ctx), deps.clock).list(),

    async createApiKey(ctx: TenantContext, input: ApiKeyCreate): Promise<ApiKeyCreated> {
      if (input.role === 'owner' && ctx.role !== 'owner') {
        throw new ProvodError('forbidden', 'only an owner may create an owner-level API key');
      }
      const secret = `${apiKeyPrefix}${generateToken()}`;
      return inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const key = await apiKeyRepository(scope, deps.clock).create({
          name: input.name,
          prefix: secret.slice(0, apiKeyPrefix.length + 6),
          secretHash: hashToken(secret),
          role: input.role,
          createdBy: ctx.actor.id,
        });
        await record('create', 'api_key', key.id, null, key);
        return { ...key, secret };
      });
    },

    async deleteApiKey(ctx: TenantContext, id: string): Promise<void> {
      await inTenantTransaction(deps, ctx, async ({ scope, record }) => {
        const keys = apiKeyRepository(scope, deps.clock);
        const before = await keys.get(id);
        if (!before) throw new ProvodError('not_found', `API key ${id} not found`);
        await keys.delete(id);
        await record('delete', 'api_key', id, before, null);
      });
    },
  };
}

export type AuthService = ReturnType<typeof authService>;

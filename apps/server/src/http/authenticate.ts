import { isStaffRole, ProvodError, roleAllows } from '@provod/contracts';
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../auth/principal.ts';
import { sameToken } from '../auth/tokens.ts';
import type { TenantContext } from '../services/service-context.ts';
import type { Services } from '../runtime/services.ts';
import type { ProvodApp } from './route-config.ts';

export const sessionCookie = 'provod_session';
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Authentication and authorisation for every /api/v1 route, in one hook: the caller is a
 * session cookie or a bearer API key; the route's declared permission must be allowed by
 * the caller's role; cookie writes must carry the CSRF token (double-submit against the
 * session's stored token). Routes never check roles themselves.
 */
export function registerAuthentication(app: ProvodApp, services: Services): void {
  app.decorateRequest('principal', null);

  // onRequest, before body validation: a caller who may not act learns nothing about the body.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/v1/') || request.routeOptions.url === undefined) return;
    const config = request.routeOptions.config;
    request.principal = await identify(request, services);
    if (config.public === true) return;
    const principal = request.principal;
    if (!principal) throw new ProvodError('unauthenticated', 'log in or send an API key');
    if (principal.csrfToken !== null && unsafeMethods.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameToken(sent, principal.csrfToken)) {
        throw new ProvodError('csrf_token_invalid', 'send the session CSRF token in X-CSRF-Token');
      }
    }
    const permission = config.permission;
    if (permission === undefined) {
      throw new Error(`route ${request.routeOptions.url ?? request.url} declares no permission`);
    }
    if (!roleAllows(principal.role, permission)) {
      throw new ProvodError('forbidden', `role ${principal.role} may not ${permission}`);
    }
    if (principal.tenantId !== null && unsafeMethods.has(request.method)) {
      const tenant = await services.tenants.get(principal.tenantId);
      if (tenant.status !== 'active') {
        throw new ProvodError(
          'tenant_suspended',
          `tenant is ${tenant.status}; changes are refused`,
        );
      }
    }
  });
}

async function identify(request: FastifyRequest, services: Services): Promise<Principal | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const [scheme, secret] = authorization.split(' ');
    if (scheme?.toLowerCase() !== 'bearer' || !secret) {
      throw new ProvodError('unauthenticated', 'Authorization must be "Bearer <API key>"');
    }
    const principal = await services.auth.resolveApiKey(secret);
    if (!principal) throw new ProvodError('unauthenticated', 'unknown API key');
    return principal;
  }
  const token = request.cookies[sessionCookie];
  if (token === undefined) return null;
  return (await services.auth.resolveSession(token))?.principal ?? null;
}

/** The tenant a request acts on: always the caller's own; staff have none here. */
export function tenantContext(request: FastifyRequest): TenantContext {
  const principal = request.principal;
  if (!principal) throw new ProvodError('unauthenticated', 'log in or send an API key');
  if (principal.tenantId === null || isStaffRole(principal.role)) {
    throw new ProvodError('forbidden', 'this route is for a tenant; staff use /api/v1/staff');
  }
  return { tenantId: principal.tenantId, actor: principal.actor, role: principal.role };
}

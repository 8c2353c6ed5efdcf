/**
 * The authorization server's endpoints, served by the sandbox itself (in Bitrix24 they live
 * on oauth.bitrix.info): `GET /oauth/authorize/?client_id&state` → the user comes back to
 * the application's redirect_uri with `code`, `state`, `domain`, `member_id`, `scope`,
 * `server_domain`; `GET|POST /oauth/token/?grant_type=authorization_code|refresh_token…`
 * → the token pair. settings/oauth/index.md, auto-renewal.md, error-codes.md
 * (bitrix24/b24restdocs).
 */
import type { FastifyInstance } from 'fastify';
import { B24Error } from './errors.ts';
import { applyFault } from './fault-reply.ts';
import { paramInt, paramString } from './params.ts';
import { observeBaseUrl, requestParams } from './rest-routes.ts';
import type { SandboxRuntime } from './runtime.ts';

export function registerOAuthRoutes(app: FastifyInstance, runtime: SandboxRuntime): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/oauth/token/',
    handler: async (request, reply) => {
      observeBaseUrl(runtime, request);
      if ((await applyFault(runtime, runtime.faults.take('/oauth/token/'), reply)) === 'handled')
        return reply;
      try {
        const base = runtime.baseUrl;
        const tokens = runtime.oauth.exchange(
          requestParams(request),
          `${base}/rest/`,
          `${base}/rest/`,
        );
        return reply.send(tokens);
      } catch (error) {
        if (error instanceof B24Error) return reply.status(error.status).send(error.toBody());
        throw error;
      }
    },
  });

  app.get('/oauth/authorize/', async (request, reply) => {
    observeBaseUrl(runtime, request);
    const params = requestParams(request);
    const clientId = paramString(params, 'client_id') ?? '';
    const app_ = runtime.portal.apps.get(clientId);
    // "If the authorization cannot be completed, Bitrix24 shows the error to the user on its
    // own page" — no redirect.
    if (app_ === undefined)
      return reply.status(400).type('text/plain').send('Application not found');
    // Sandbox extension: `user_id` picks the Bitrix24 user who authorizes (default 1).
    const userId = paramInt(params, 'user_id') ?? 1;
    const back = new URLSearchParams({
      code: runtime.oauth.authorize(clientId, userId),
      state: paramString(params, 'state') ?? '',
      domain: runtime.domain,
      member_id: runtime.memberId,
      scope: app_.scope.join(','),
      server_domain: new URL(runtime.baseUrl).host,
    });
    if (app_.redirectUri === undefined) return reply.send(Object.fromEntries(back));
    const separator = app_.redirectUri.includes('?') ? '&' : '?';
    return reply.redirect(`${app_.redirectUri}${separator}${back.toString()}`, 302);
  });
}

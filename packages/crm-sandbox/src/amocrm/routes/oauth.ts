// POST /oauth2/access_token — authorization-code exchange and refresh.
// Followed: https://www.amocrm.ru/developers/content/oauth/step-by-step (steps 3–4),
// https://developers.kommo.com/reference/get-token (request fields, response with
// token_type, expires_in, server_time, access_token, refresh_token).
// Error bodies (hint + OAuthProblemJson type) are what amoCRM is observed to send; the
// pages do not show them — listed in docs/crm-sandbox.md.
import type { FastifyInstance } from 'fastify';
import type { OAuthServer } from '../auth.ts';
import { isJsonObject } from '../json.ts';

export function oauthRoutes(app: FastifyInstance, oauth: OAuthServer): void {
  app.post('/oauth2/access_token', async (request, reply) => {
    const params = isJsonObject(request.body) ? request.body : {};
    const result = oauth.exchange(params);
    if (result.ok) return reply.code(200).type('application/json; charset=utf-8').send(result.body);
    return reply
      .code(result.status)
      .type('application/problem+json; charset=utf-8')
      .send({
        hint: result.hint,
        title: result.status === 401 ? 'Unauthorized' : 'Некорректный запрос',
        type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
        status: result.status,
        detail: result.status === 401 ? 'Unauthorized' : 'Bad Request',
      });
  });
}

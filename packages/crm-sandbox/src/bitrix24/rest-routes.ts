/**
 * `GET|POST /rest/<method>[.json]?auth=<token>` (application) and
 * `/rest/<user_id>/<webhook_code>/<method>` (incoming webhook); parameters from the query
 * string, a JSON body or a form body with PHP bracket keys; answers `{"result","time"}`
 * (+ `total`/`next` for lists) or `{"error","error_description"}`.
 * settings/how-to-call-rest-api/index.md, list-methods-pecularities.md, limits.md,
 * _includes/system-errors.md (bitrix24/b24restdocs).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthContext } from './auth.ts';
import { methodKey } from './dispatch.ts';
import { B24Error, systemErrors } from './errors.ts';
import { applyFault } from './fault-reply.ts';
import {
  isJsonObject,
  mergeRequestParams,
  paramString,
  parsePhpQuery,
  toJson,
  type JsonObject,
} from './params.ts';
import type { SandboxRuntime } from './runtime.ts';
import { timeInfo } from './time-info.ts';

interface RestTarget {
  method: string;
  webhook: { userId: number; code: string } | undefined;
}

function parseTarget(path: string): RestTarget | undefined {
  const parts = path
    .replace(/^\/rest\//, '')
    .split('/')
    .filter((part) => part !== '');
  if (parts.length === 1 && parts[0] !== undefined) return { method: parts[0], webhook: undefined };
  const [userId, code, method] = parts;
  if (
    parts.length === 3 &&
    userId !== undefined &&
    /^\d+$/.test(userId) &&
    code !== undefined &&
    method !== undefined
  ) {
    return { method, webhook: { userId: Number(userId), code } };
  }
  return undefined;
}

export function requestParams(request: FastifyRequest): JsonObject {
  const url = request.raw.url ?? '';
  const question = url.indexOf('?');
  const query = question === -1 ? {} : parsePhpQuery(url.slice(question + 1));
  const body = toJson(request.body ?? null);
  return mergeRequestParams(query, isJsonObject(body) ? body : {});
}

export function observeBaseUrl(runtime: SandboxRuntime, request: FastifyRequest): void {
  if (runtime.fixedBaseUrl || request.headers.host === undefined) return;
  runtime.baseUrl = `${request.protocol}://${request.headers.host}`;
}

async function sendError(reply: FastifyReply, error: B24Error): Promise<void> {
  await reply.status(error.status).send(error.toBody());
}

export function registerRestRoutes(app: FastifyInstance, runtime: SandboxRuntime): void {
  // PHP form bodies: FIELDS[PHONE][0][VALUE]=… become nested parameters.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, parsePhpQuery(typeof body === 'string' ? body : body.toString('utf8')));
    },
  );

  app.route({
    method: ['GET', 'POST'],
    url: '/rest/*',
    handler: async (request, reply) => {
      observeBaseUrl(runtime, request);
      const startMs = runtime.portal.clock.nowMs();
      const path = (request.raw.url ?? '').split('?')[0] ?? '';
      const target = parseTarget(path);
      if (target === undefined) return sendError(reply, systemErrors.methodNotFound());
      const definition = runtime.methods.get(methodKey(target.method));
      // Fault rules match `/rest/<method as documented>`, whatever the auth path.
      const faultPath = `/rest/${definition?.name ?? target.method}`;
      if ((await applyFault(runtime, runtime.faults.take(faultPath), reply)) === 'handled')
        return reply;

      const params = requestParams(request);
      let auth: AuthContext;
      try {
        if (target.webhook !== undefined) {
          auth = runtime.oauth.resolveWebhook(target.webhook.userId, target.webhook.code);
        } else {
          const token = paramString(params, 'auth');
          if (token === undefined || token === '') throw systemErrors.noAuthFound();
          auth = runtime.oauth.resolveAccessToken(token);
        }
      } catch (error) {
        if (error instanceof B24Error) return sendError(reply, error);
        throw error;
      }
      delete params.auth;
      if (!runtime.bucket.tryTake()) return sendError(reply, systemErrors.queryLimitExceeded());

      try {
        const outcome = runtime.call(target.method, params, auth);
        return reply.send({
          result: outcome.result,
          ...(outcome.next === undefined ? {} : { next: outcome.next }),
          ...(outcome.total === undefined ? {} : { total: outcome.total }),
          time: timeInfo(startMs, runtime.portal.clock.nowMs()),
        });
      } catch (error) {
        if (error instanceof B24Error) return sendError(reply, error);
        throw error;
      }
    },
  });
}

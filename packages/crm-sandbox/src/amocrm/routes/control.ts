// Inspection and control of the sandbox under /__sandbox — a path the real amoCRM API
// cannot have — for tests in other processes; the same operations are typed methods of
// the object createAmoCrmSandbox returns.
import type { Fault } from '../../common/faults.ts';
import { isJsonObject, type JsonObject } from '../json.ts';
import { AmoProblem } from '../problem.ts';
import type { AmoCrmSandbox } from '../sandbox-api.ts';

function faultOf(body: JsonObject): Fault {
  const kind = body.kind;
  if (kind === 'status' && typeof body.status === 'number') {
    return typeof body.body === 'string'
      ? { kind, status: body.status, body: body.body }
      : { kind, status: body.status };
  }
  if (kind === 'delay' && typeof body.ms === 'number') return { kind, ms: body.ms };
  if (kind === 'hang' || kind === 'rate_limited' || kind === 'token_expired') return { kind };
  throw new AmoProblem(
    400,
    'Bad Request',
    'fault must be {kind: status|delay|hang|rate_limited|token_expired, …}',
  );
}

export function controlRoutes(sandbox: AmoCrmSandbox): void {
  const { app } = sandbox;

  app.get('/__sandbox/state', async () => sandbox.snapshot());

  app.post('/__sandbox/reset', async (_request, reply) => {
    sandbox.reset();
    return reply.code(204).send();
  });

  app.get('/__sandbox/faults', async () => ({
    faults: sandbox.faults.list().map((rule) => ({ ...rule })),
  }));

  app.post('/__sandbox/faults', async (request, reply) => {
    const body = isJsonObject(request.body) ? request.body : {};
    const fault = isJsonObject(body.fault) ? faultOf(body.fault) : undefined;
    if (fault === undefined) throw new AmoProblem(400, 'Bad Request', 'fault is required');
    sandbox.faults.add({
      pathPrefix: typeof body.path_prefix === 'string' ? body.path_prefix : '',
      fault,
      remaining: typeof body.remaining === 'number' ? body.remaining : undefined,
    });
    return reply.code(201).send({ faults: sandbox.faults.list().length });
  });

  app.delete('/__sandbox/faults', async (_request, reply) => {
    sandbox.faults.clear();
    return reply.code(204).send();
  });

  app.get('/__sandbox/clock', async () => sandbox.clock.snapshot());

  app.post('/__sandbox/clock', async (request) => {
    const body = isJsonObject(request.body) ? request.body : {};
    if (typeof body.freeze_at_ms === 'number') sandbox.clock.freeze(body.freeze_at_ms);
    if (typeof body.advance_ms === 'number') {
      if (body.advance_ms < 0) {
        throw new AmoProblem(400, 'Bad Request', 'advance_ms must not be negative');
      }
      sandbox.clock.advance(body.advance_ms);
    }
    return sandbox.clock.snapshot();
  });

  app.post('/__sandbox/install', async (request) => {
    const body = isJsonObject(request.body) ? request.body : {};
    const { client_id: clientId, client_secret: clientSecret, redirect_uri: redirectUri } = body;
    if (
      typeof clientId !== 'string' ||
      typeof clientSecret !== 'string' ||
      typeof redirectUri !== 'string'
    ) {
      throw new AmoProblem(
        400,
        'Bad Request',
        'client_id, client_secret and redirect_uri are required',
      );
    }
    return { code: sandbox.install({ clientId, clientSecret, redirectUri }) };
  });

  app.post('/__sandbox/long-lived-token', async () => ({
    access_token: sandbox.issueLongLivedToken(),
  }));
}

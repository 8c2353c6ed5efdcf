/**
 * Test and demo controls under /__sandbox/ — a path no Bitrix24 method can have (methods
 * live under /rest/). Everything here is also a typed method of Bitrix24Sandbox.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Fault, FaultRule } from '../common/faults.ts';
import type { Bitrix24Sandbox } from './sandbox-types.ts';
import { B24Error } from './errors.ts';
import { NoEventHandlerError } from './event-delivery.ts';
import { asInt, isJsonObject, toJson, type Json, type JsonObject } from './params.ts';

function bodyOf(body: unknown): JsonObject {
  const json = toJson(body ?? null);
  return isJsonObject(json) ? json : {};
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  return reply.status(400).send({ error: 'invalid_control_request', error_description: message });
}

export function parseFault(value: Json | undefined): Fault | undefined {
  if (!isJsonObject(value)) return undefined;
  switch (value.kind) {
    case 'status': {
      const status = asInt(value.status);
      if (status === undefined || status < 100 || status > 599) return undefined;
      return typeof value.body === 'string'
        ? { kind: 'status', status, body: value.body }
        : { kind: 'status', status };
    }
    case 'delay': {
      const ms = asInt(value.ms);
      return ms === undefined || ms < 0 ? undefined : { kind: 'delay', ms };
    }
    case 'hang':
    case 'rate_limited':
    case 'token_expired':
      return { kind: value.kind };
    default:
      return undefined;
  }
}

export function registerControlRoutes(app: FastifyInstance, sandbox: () => Bitrix24Sandbox): void {
  app.get('/__sandbox/state', async () => sandbox().state());
  app.post('/__sandbox/reset', async () => {
    sandbox().reset();
    return { ok: true };
  });

  app.get('/__sandbox/faults', async () => ({ faults: sandbox().faults.list() }));
  app.delete('/__sandbox/faults', async () => {
    sandbox().faults.clear();
    return { ok: true };
  });
  app.post('/__sandbox/faults', async (request, reply) => {
    const body = bodyOf(request.body);
    const fault = parseFault(body.fault);
    if (fault === undefined)
      return badRequest(
        reply,
        'fault must be {kind: status|delay|hang|rate_limited|token_expired, …}',
      );
    const remaining = asInt(body.remaining);
    const rule: FaultRule = {
      pathPrefix: typeof body.pathPrefix === 'string' ? body.pathPrefix : '',
      fault,
      ...(remaining === undefined ? {} : { remaining }),
    };
    sandbox().faults.add(rule);
    return { faults: sandbox().faults.list() };
  });

  app.get('/__sandbox/clock', async () => ({ now: sandbox().clock.nowMs() }));
  app.post('/__sandbox/clock', async (request, reply) => {
    const advanceMs = asInt(bodyOf(request.body).advanceMs);
    if (advanceMs === undefined || advanceMs < 0)
      return badRequest(reply, 'advanceMs must be a non-negative integer');
    sandbox().clock.advance(advanceMs);
    return { now: sandbox().clock.nowMs() };
  });

  app.post('/__sandbox/users', async (request) => sandbox().seedUser(bodyOf(request.body)));
  app.post('/__sandbox/contacts', async (request) => {
    const record = sandbox().seedContact(bodyOf(request.body));
    return { ID: record.ID };
  });

  app.post('/__sandbox/authorize', async (request, reply) => {
    const body = bodyOf(request.body);
    const clientId = typeof body.clientId === 'string' ? body.clientId : '';
    if (!sandbox().hasApp(clientId)) return badRequest(reply, 'unknown clientId');
    return { code: sandbox().authorize(clientId, asInt(body.userId) ?? 1) };
  });

  app.post('/__sandbox/click-to-call', async (request, reply) => {
    const body = bodyOf(request.body);
    const userId = asInt(body.userId);
    if (userId === undefined || typeof body.phoneNumber !== 'string') {
      return badRequest(reply, 'userId and phoneNumber are required');
    }
    try {
      return await sandbox().clickToCall({
        userId,
        phoneNumber: body.phoneNumber,
        ...(typeof body.clientId === 'string' ? { clientId: body.clientId } : {}),
        ...(typeof body.lineNumber === 'string' ? { lineNumber: body.lineNumber } : {}),
      });
    } catch (error) {
      if (error instanceof NoEventHandlerError)
        return reply.status(409).send({ error: 'no_handler', error_description: error.message });
      if (error instanceof B24Error) return reply.status(error.status).send(error.toBody());
      throw error;
    }
  });
}

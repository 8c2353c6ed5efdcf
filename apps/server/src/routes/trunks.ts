import {
  idParams,
  roleAllows,
  trunkCreateSchema,
  trunkRegistrationSchema,
  trunkSchema,
  trunkUpdateSchema,
  trunkWithSecretSchema,
  type Trunk,
  type TrunkWithSecret,
} from '@provod/contracts';
import type { TrunkRecord } from '@provod/db';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['trunks'];
const trunkView = z.union([trunkWithSecretSchema, trunkSchema]);

/** The provider password goes only to roles allowed to see secrets (not agents or viewers). */
function present(request: FastifyRequest, record: TrunkRecord): Trunk | TrunkWithSecret {
  if (roleAllows(tenantContext(request).role, 'numberplan:secrets')) return record;
  const { password: _hidden, ...trunk } = record;
  return trunk;
}

export function trunkRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/trunks',
    {
      config: { permission: 'numberplan:read' },
      schema: {
        tags,
        summary: 'SIP trunks in the order outbound calls try them',
        response: { 200: z.array(trunkView) },
      },
    },
    async (request) => {
      const records = await services.trunks.list(tenantContext(request));
      return records.map((record) => present(request, record));
    },
  );
  app.get(
    '/trunks/registrations',
    {
      config: { permission: 'numberplan:read' },
      schema: {
        tags,
        summary: 'Where each registering trunk stands with its provider',
        response: { 200: z.array(trunkRegistrationSchema) },
      },
    },
    async (request) => services.registrations.trunkRegistrations(tenantContext(request)),
  );
  app.get(
    '/trunks/:id',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, params: idParams, response: { 200: trunkView } },
    },
    async (request) =>
      present(request, await services.trunks.get(tenantContext(request), request.params.id)),
  );
  app.post(
    '/trunks',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Add a SIP provider account',
        body: trunkCreateSchema,
        response: { 201: trunkView },
      },
    },
    async (request, reply) => {
      const created = await services.trunks.create(tenantContext(request), request.body);
      return reply.status(201).send(present(request, created));
    },
  );
  app.patch(
    '/trunks/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: { tags, params: idParams, body: trunkUpdateSchema, response: { 200: trunkView } },
    },
    async (request) =>
      present(
        request,
        await services.trunks.update(tenantContext(request), request.params.id, request.body),
      ),
  );
  app.delete(
    '/trunks/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.trunks.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

import {
  balanceAdjustmentSchema,
  idParams,
  ProvodError,
  tenantCreateSchema,
  tenantSchema,
  tenantStaffUpdateSchema,
  type Actor,
} from '@provod/contracts';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['staff'];

function staffActor(request: FastifyRequest): Actor {
  if (!request.principal) throw new ProvodError('unauthenticated', 'log in');
  return request.principal.actor;
}

/** The operator's back office: every tenant, its status and balance. */
export function staffTenantRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/staff/tenants',
    {
      config: { permission: 'staff:tenants:read' },
      schema: { tags, response: { 200: z.array(tenantSchema) } },
    },
    async () => services.tenants.list(),
  );
  app.get(
    '/staff/tenants/:id',
    {
      config: { permission: 'staff:tenants:read' },
      schema: { tags, params: idParams, response: { 200: tenantSchema } },
    },
    async (request) => services.tenants.get(request.params.id),
  );
  app.post(
    '/staff/tenants',
    {
      config: { permission: 'staff:tenants:write' },
      schema: { tags, body: tenantCreateSchema, response: { 201: tenantSchema } },
    },
    async (request, reply) =>
      reply.status(201).send(await services.tenants.create(request.body, staffActor(request))),
  );
  app.patch(
    '/staff/tenants/:id',
    {
      config: { permission: 'staff:tenants:write' },
      schema: {
        tags,
        params: idParams,
        body: tenantStaffUpdateSchema,
        response: { 200: tenantSchema },
      },
    },
    async (request) =>
      services.tenants.updateByStaff(request.params.id, request.body, staffActor(request)),
  );
  app.post(
    '/staff/tenants/:id/balance-adjustments',
    {
      config: { permission: 'staff:billing:write' },
      schema: {
        tags,
        summary: 'Credit (positive) or debit (negative) a tenant balance, with a reason',
        params: idParams,
        body: balanceAdjustmentSchema,
        response: { 200: tenantSchema },
      },
    },
    async (request) =>
      services.tenants.adjustBalance(request.params.id, request.body, staffActor(request)),
  );
}

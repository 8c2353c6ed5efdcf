import {
  extensionCreateSchema,
  extensionSchema,
  extensionUpdateSchema,
  extensionWithSecretSchema,
  idParams,
  roleAllows,
  type Extension,
  type ExtensionWithSecret,
} from '@provod/contracts';
import type { ExtensionRecord } from '@provod/db';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['extensions'];
const extensionView = z.union([extensionWithSecretSchema, extensionSchema]);

export function extensionRoutes(app: ProvodApp, services: Services): void {
  /** SIP credentials go only to roles allowed to see secrets (not agents or viewers). */
  async function present(
    request: FastifyRequest,
    record: ExtensionRecord,
  ): Promise<Extension | ExtensionWithSecret> {
    const ctx = tenantContext(request);
    const { sipPassword, ...extension } = record;
    if (!roleAllows(ctx.role, 'numberplan:secrets')) return extension;
    const tenant = await services.tenants.get(ctx.tenantId);
    return { ...extension, sipPassword, sipUsername: record.number, sipDomain: tenant.sipDomain };
  }

  app.get(
    '/extensions',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, response: { 200: z.array(extensionView) } },
    },
    async (request) => {
      const records = await services.extensions.list(tenantContext(request));
      return Promise.all(records.map((record) => present(request, record)));
    },
  );
  app.get(
    '/extensions/:id',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, params: idParams, response: { 200: extensionView } },
    },
    async (request) =>
      present(request, await services.extensions.get(tenantContext(request), request.params.id)),
  );
  app.post(
    '/extensions',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Create an extension (a SIP account); the password is generated when omitted',
        body: extensionCreateSchema,
        response: { 201: extensionView },
      },
    },
    async (request, reply) => {
      const created = await services.extensions.create(tenantContext(request), request.body);
      return reply.status(201).send(await present(request, created));
    },
  );
  app.patch(
    '/extensions/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        params: idParams,
        body: extensionUpdateSchema,
        response: { 200: extensionView },
      },
    },
    async (request) =>
      present(
        request,
        await services.extensions.update(tenantContext(request), request.params.id, request.body),
      ),
  );
  app.delete(
    '/extensions/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.extensions.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

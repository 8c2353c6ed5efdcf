import {
  idParams,
  routingSchemeCreateSchema,
  routingSchemeRenameSchema,
  routingSchemeSchema,
  routingSchemeVersionCreateSchema,
  routingSchemeVersionParams,
  routingSchemeVersionSchema,
  routingSchemeVersionSummarySchema,
  routingSimulationRequestSchema,
  routingSimulationResultSchema,
} from '@provod/contracts';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['routing-schemes'];

export function routingSchemeRoutes(app: ProvodApp, services: Services): void {
  const schemes = services.routingSchemes;

  app.get(
    '/routing-schemes',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, response: { 200: z.array(routingSchemeSchema) } },
    },
    async (request) => schemes.list(tenantContext(request)),
  );
  app.get(
    '/routing-schemes/:id',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, params: idParams, response: { 200: routingSchemeSchema } },
    },
    async (request) => schemes.get(tenantContext(request), request.params.id),
  );
  app.post(
    '/routing-schemes',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Create a routing scheme; its graph becomes version 1',
        body: routingSchemeCreateSchema,
        response: { 201: routingSchemeSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await schemes.create(tenantContext(request), request.body)),
  );
  app.patch(
    '/routing-schemes/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Rename a routing scheme (its graph changes only through new versions)',
        params: idParams,
        body: routingSchemeRenameSchema,
        response: { 200: routingSchemeSchema },
      },
    },
    async (request) => schemes.rename(tenantContext(request), request.params.id, request.body),
  );
  app.delete(
    '/routing-schemes/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Delete a routing scheme and its history; refused while a phone number uses it',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await schemes.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/routing-schemes/:id/versions',
    {
      config: { permission: 'numberplan:read' },
      schema: {
        tags,
        summary: 'Versions of a routing scheme, newest first, without their graphs',
        params: idParams,
        response: { 200: z.array(routingSchemeVersionSummarySchema) },
      },
    },
    async (request) => schemes.listVersions(tenantContext(request), request.params.id),
  );
  app.get(
    '/routing-schemes/:id/versions/:version',
    {
      config: { permission: 'numberplan:read' },
      schema: {
        tags,
        params: routingSchemeVersionParams,
        response: { 200: routingSchemeVersionSchema },
      },
    },
    async (request) =>
      schemes.getVersion(tenantContext(request), request.params.id, request.params.version),
  );
  app.post(
    '/routing-schemes/:id/versions',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Save a new graph as the next version and make it current',
        params: idParams,
        body: routingSchemeVersionCreateSchema,
        response: { 201: routingSchemeSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await schemes.addVersion(tenantContext(request), request.params.id, request.body)),
  );
  app.post(
    '/routing-schemes/:id/simulate',
    {
      // Reading: the simulator places no call and changes nothing (docs/routing-schemes.md).
      config: { permission: 'numberplan:read' },
      schema: {
        tags,
        summary: 'Walk the scheme for a made-up call and return the path it would take',
        params: idParams,
        body: routingSimulationRequestSchema,
        response: { 200: routingSimulationResultSchema },
      },
    },
    async (request) =>
      schemes.simulate(
        tenantContext(request),
        request.params.id,
        request.body,
        services.registrations,
      ),
  );
  app.post(
    '/routing-schemes/:id/versions/:version/restore',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Make an old version current again by saving its graph as a new version',
        params: routingSchemeVersionParams,
        response: { 201: routingSchemeSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await schemes.restore(tenantContext(request), request.params.id, request.params.version),
        ),
  );
}

import {
  idParams,
  phoneNumberCreateSchema,
  phoneNumberSchema,
  phoneNumberUpdateSchema,
} from '@provod/contracts';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['phone numbers'];

export function phoneNumberRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/phone-numbers',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, response: { 200: z.array(phoneNumberSchema) } },
    },
    async (request) => services.phoneNumbers.list(tenantContext(request)),
  );
  app.get(
    '/phone-numbers/:id',
    {
      config: { permission: 'numberplan:read' },
      schema: { tags, params: idParams, response: { 200: phoneNumberSchema } },
    },
    async (request) => services.phoneNumbers.get(tenantContext(request), request.params.id),
  );
  app.post(
    '/phone-numbers',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        summary: 'Add a public number; spaces, brackets and hyphens in it are dropped',
        body: phoneNumberCreateSchema,
        response: { 201: phoneNumberSchema },
      },
    },
    async (request, reply) => {
      const created = await services.phoneNumbers.create(tenantContext(request), request.body);
      return reply.status(201).send(created);
    },
  );
  app.patch(
    '/phone-numbers/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: {
        tags,
        params: idParams,
        body: phoneNumberUpdateSchema,
        response: { 200: phoneNumberSchema },
      },
    },
    async (request) =>
      services.phoneNumbers.update(tenantContext(request), request.params.id, request.body),
  );
  app.delete(
    '/phone-numbers/:id',
    {
      config: { permission: 'numberplan:write' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.phoneNumbers.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

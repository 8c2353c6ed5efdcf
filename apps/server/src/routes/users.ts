import { idParams, userCreateSchema, userSchema, userUpdateSchema } from '@provod/contracts';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['users'];

export function userRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/users',
    {
      config: { permission: 'users:read' },
      schema: { tags, response: { 200: z.array(userSchema) } },
    },
    async (request) => services.users.list(tenantContext(request)),
  );
  app.get(
    '/users/:id',
    {
      config: { permission: 'users:read' },
      schema: { tags, params: idParams, response: { 200: userSchema } },
    },
    async (request) => services.users.get(tenantContext(request), request.params.id),
  );
  app.post(
    '/users',
    {
      config: { permission: 'users:write' },
      schema: { tags, body: userCreateSchema, response: { 201: userSchema } },
    },
    async (request, reply) =>
      reply.status(201).send(await services.users.create(tenantContext(request), request.body)),
  );
  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:write' },
      schema: { tags, params: idParams, body: userUpdateSchema, response: { 200: userSchema } },
    },
    async (request) =>
      services.users.update(tenantContext(request), request.params.id, request.body),
  );
  app.delete(
    '/users/:id',
    {
      config: { permission: 'users:write' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.users.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

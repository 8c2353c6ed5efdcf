import { apiKeyCreateSchema, apiKeyCreatedSchema, apiKeySchema, idParams } from '@provod/contracts';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';

const tags = ['api keys'];

export function apiKeyRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/api-keys',
    {
      config: { permission: 'api_keys:manage' },
      schema: { tags, response: { 200: z.array(apiKeySchema) } },
    },
    async (request) => services.auth.listApiKeys(tenantContext(request)),
  );
  app.post(
    '/api-keys',
    {
      config: { permission: 'api_keys:manage' },
      schema: {
        tags,
        summary: 'Create an API key; the secret is in this response only',
        body: apiKeyCreateSchema,
        response: { 201: apiKeyCreatedSchema },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await services.auth.createApiKey(tenantContext(request), request.body)),
  );
  app.delete(
    '/api-keys/:id',
    {
      config: { permission: 'api_keys:manage' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.auth.deleteApiKey(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

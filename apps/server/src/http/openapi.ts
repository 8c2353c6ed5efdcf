import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { ProvodApp } from './route-config.ts';

/**
 * The OpenAPI document is generated from the routes' zod schemas, so it cannot drift
 * from what the API validates. Each operation carries `x-permission` (what the caller's
 * role must allow), which the isolation test and API clients read.
 */
export async function registerOpenApi(app: ProvodApp, version: string): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Provod API',
        version,
        description:
          'Multi-tenant virtual PBX. Authenticate with a session cookie (POST /api/v1/auth/login; ' +
          'send X-CSRF-Token on writes) or `Authorization: Bearer <API key>`.',
      },
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'provod_session' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
    transform: (input) => {
      const transformed = jsonSchemaTransform(input);
      const permission = input.route.config?.permission;
      const isPublic = input.route.config?.public === true;
      const binaryBody = input.route.config?.binaryBody;
      return {
        ...transformed,
        schema: {
          ...transformed.schema,
          ...(permission !== undefined && { 'x-permission': permission }),
          ...(isPublic && { security: [] }),
          // For the document only: such routes parse the body themselves, not through zod.
          ...(binaryBody && { body: { type: 'string', format: 'binary' }, consumes: binaryBody }),
        },
      };
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}

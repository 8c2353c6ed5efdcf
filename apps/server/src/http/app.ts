import fastifyCookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { ProvodError } from '@provod/contracts';
import { countJobsByStatus } from '@provod/db';
import type { Services } from '../runtime/services.ts';
import { registerRoutes } from '../routes/index.ts';
import { registerAuthentication } from './authenticate.ts';
import { handleError } from './error-handler.ts';
import { registerHealth, type ReadinessProbe } from './health.ts';
import { createMetricsRegistry, registerMetrics } from './metrics.ts';
import { registerOpenApi } from './openapi.ts';
import type { ProvodApp } from './route-config.ts';
import { registerWebAssets } from './web-assets.ts';

export interface HttpAppOptions {
  services: Services;
  logger: FastifyBaseLogger;
  version: string;
  readiness: ReadinessProbe;
  /** Largest request body accepted (bytes); sound uploads need more than JSON. */
  bodyLimit?: number;
  /** Take the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy?: boolean;
}

export async function buildHttpApp(options: HttpAppOptions): Promise<ProvodApp> {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: 'x-request-id',
    trustProxy: options.trustProxy ?? false,
    genReqId: () => crypto.randomUUID(),
    // The API uses snake_case-free JSON and exact paths; /extensions/ is not /extensions.
    routerOptions: { ignoreTrailingSlash: false },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request) => {
    throw new ProvodError(
      'not_found',
      `no route ${request.method} ${request.url.split('?')[0] ?? ''}`,
    );
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(fastifyCookie);
  await registerOpenApi(app, options.version);
  registerMetrics(app, createMetricsRegistry(), {
    jobsByStatus: () => countJobsByStatus(options.services.deps.database.db),
  });
  registerHealth(app, options.readiness);
  registerAuthentication(app, options.services);
  await app.register(async (api) => registerRoutes(api as ProvodApp, options.services), {
    prefix: '/api/v1',
  });
  await registerWebAssets(app);
  return app;
}

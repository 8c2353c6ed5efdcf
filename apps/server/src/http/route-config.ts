import type { Permission } from '@provod/contracts';
import type {
  FastifyInstance,
  FastifyBaseLogger,
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Principal } from '../auth/principal.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller's role must allow. Every /api/v1 route names one unless `public`. */
    permission?: Permission;
    /** Reachable without a session or an API key (login, sign-up). */
    public?: boolean;
    /** The body is a raw file of these media types (documented in OpenAPI as binary). */
    binaryBody?: readonly string[];
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type ProvodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

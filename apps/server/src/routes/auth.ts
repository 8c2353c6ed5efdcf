import { loginSchema, ProvodError, sessionSchema, signupSchema } from '@provod/contracts';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { sessionCookie } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import type { SessionTicket } from '../services/auth.ts';

const tags = ['auth'];

export function authRoutes(app: ProvodApp, services: Services): void {
  const setCookie = (reply: FastifyReply, ticket: SessionTicket) =>
    reply.setCookie(sessionCookie, ticket.token, {
      path: '/',
      httpOnly: true,
      // Lax keeps the cookie off cross-site POSTs; the CSRF header covers the rest.
      sameSite: 'lax',
      secure: 'auto',
      expires: new Date(ticket.session.expiresAt),
    });

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: { tags, body: loginSchema, response: { 200: sessionSchema } },
    },
    async (request, reply) => {
      const ticket = await services.auth.login(
        request.body.email,
        request.body.password,
        request.ip,
      );
      setCookie(reply, ticket);
      return ticket.session;
    },
  );

  app.post(
    '/auth/signup',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Create a company (tenant) and its owner, and log the owner in',
        body: signupSchema,
        response: { 201: sessionSchema },
      },
    },
    async (request, reply) => {
      const ticket = await services.auth.signup(request.body);
      setCookie(reply, ticket);
      return reply.status(201).send(ticket.session);
    },
  );

  app.post(
    '/auth/logout',
    { config: { public: true }, schema: { tags, response: { 204: z.null() } } },
    async (request, reply) => {
      const token = request.cookies[sessionCookie];
      if (token !== undefined) await services.auth.logout(token);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/session',
    { config: { public: true }, schema: { tags, response: { 200: sessionSchema } } },
    async (request) => {
      const token = request.cookies[sessionCookie];
      const resolved = token === undefined ? undefined : await services.auth.resolveSession(token);
      if (!resolved) throw new ProvodError('unauthenticated', 'no session; log in');
      return resolved.session;
    },
  );
}

import { STATUS_CODES, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { FaultPlan, type Fault } from '../common/faults.ts';
import { OAuthServer, defaultOAuthOptions } from './auth.ts';
import { SandboxClock } from '../common/clock.ts';
import { AmoProblem, sendProblem, unauthorized } from './problem.ts';
import { AccountRateLimiter } from './rate-limit.ts';
import { accountRoutes } from './routes/account.ts';
import { callRoutes } from './routes/calls.ts';
import type { RouteContext } from './routes/context.ts';
import { controlRoutes } from './routes/control.ts';
import { eventRoutes } from './routes/events.ts';
import { leadRoutes } from './routes/leads.ts';
import { noteRoutes } from './routes/notes.ts';
import { oauthRoutes } from './routes/oauth.ts';
import { partyRoutes } from './routes/parties.ts';
import { taskRoutes } from './routes/tasks.ts';
import { unsortedRoutes } from './routes/unsorted.ts';
import type { AmoCrmSandbox, AmoCrmSandboxOptions, SandboxSeed, SeededIds } from './sandbox-api.ts';
import { AmoStore } from './store.ts';

/** What an nginx gateway in front of an API answers when it throttles or blocks. */
function gatewayPage(status: number): string {
  const title = `${status} ${STATUS_CODES[status] ?? ''}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

function sendGateway(reply: FastifyReply, status: number): FastifyReply {
  return reply.code(status).type('text/html; charset=utf-8').send(gatewayPage(status));
}

function statusProblem(status: number): AmoProblem {
  const title = STATUS_CODES[status] ?? 'Error';
  return new AmoProblem(status, title, title);
}

/**
 * An emulator of one amoCRM account's public API v4 (+ OAuth 2.0 and the v2 call card)
 * that Provod's CRM connector talks to as to https://SUBDOMAIN.amocrm.ru. Behaviour
 * follows the vendor's pages cited at the top of each route file; docs/crm-sandbox.md
 * lists what could not be confirmed and what is not emulated.
 */
export function createAmoCrmSandbox(options: AmoCrmSandboxOptions = {}): AmoCrmSandbox {
  const clock = options.clock ?? new SandboxClock();
  const state = new AmoStore(
    { id: 31_000_001, name: 'Provod sandbox', subdomain: 'provod-sandbox', ...options.account },
    clock,
  );
  const oauth = new OAuthServer(clock, { ...defaultOAuthOptions, ...options.oauth });
  const faults = new FaultPlan();
  const rateLimiter = new AccountRateLimiter({ perSecond: 7, ...options.rateLimit }, clock);
  const limitFormat = options.limitResponseFormat ?? 'problem';
  const hung = new Set<ServerResponse>();
  const app = Fastify({ logger: options.logger ?? false });
  let url: string | undefined;

  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(
        null,
        Object.fromEntries(
          new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8')),
        ),
      );
    },
  );

  async function applyFault(
    fault: Fault,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<boolean> {
    switch (fault.kind) {
      case 'status':
        if (fault.body !== undefined)
          reply.code(fault.status).type('text/html; charset=utf-8').send(fault.body);
        else sendProblem(reply, statusProblem(fault.status));
        return true;
      case 'delay':
        await sleep(fault.ms);
        return false;
      case 'hang':
        // Never answer: the socket stays open until the client gives up or the sandbox closes.
        reply.hijack();
        hung.add(reply.raw);
        request.raw.on('close', () => hung.delete(reply.raw));
        return true;
      case 'rate_limited':
        sendGateway(reply, 429);
        return true;
      case 'token_expired':
        sendProblem(reply, unauthorized());
        return true;
    }
  }

  function sendLimit(reply: FastifyReply, status: 403 | 429): FastifyReply {
    return limitFormat === 'html'
      ? sendGateway(reply, status)
      : sendProblem(reply, statusProblem(status));
  }

  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/__sandbox')) return;
    const decision = rateLimiter.check();
    if (decision === 'blocked') return sendLimit(reply, 403);
    if (decision === 'limited') return sendLimit(reply, 429);
    const fault = faults.take(path);
    if (fault !== undefined && (await applyFault(fault, request, reply))) return reply;
    if (path.startsWith('/api/') && oauth.check(request.headers.authorization) !== 'valid') {
      return sendProblem(reply, unauthorized());
    }
  });

  app.addHook('preClose', async () => {
    for (const response of hung) response.destroy();
    hung.clear();
  });

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof AmoProblem) return sendProblem(reply, error);
    // Fastify's own errors (malformed JSON, unsupported media type) carry a 4xx statusCode.
    const code =
      typeof error === 'object' && error !== null && 'statusCode' in error
        ? error.statusCode
        : undefined;
    const status = typeof code === 'number' && code >= 400 && code < 500 ? code : 500;
    const detail =
      status !== 500 && error instanceof Error ? error.message : (STATUS_CODES[status] ?? 'Error');
    return sendProblem(reply, new AmoProblem(status, STATUS_CODES[status] ?? 'Error', detail));
  });

  app.setNotFoundHandler((_request, reply) => sendProblem(reply, statusProblem(404)));

  const ctx: RouteContext = { app, store: state, unknownFields: options.unknownFields ?? 'ignore' };
  oauthRoutes(app, oauth);
  accountRoutes(ctx);
  partyRoutes(ctx, 'contacts');
  partyRoutes(ctx, 'companies');
  leadRoutes(ctx);
  unsortedRoutes(ctx);
  taskRoutes(ctx);
  noteRoutes(ctx);
  callRoutes(ctx);
  eventRoutes(ctx);

  const sandbox: AmoCrmSandbox = {
    app,
    state,
    oauth,
    faults,
    clock,
    rateLimiter,
    get url() {
      return url;
    },
    install(integration) {
      oauth.registerIntegration(integration);
      return oauth.issueAuthorizationCode(integration.clientId);
    },
    issueLongLivedToken: (lifetimeSeconds) => oauth.issueLongLivedToken(lifetimeSeconds),
    seed: (seed) => seedAccount(state, seed),
    reset() {
      state.reset();
      oauth.revokeAll();
      faults.clear();
      rateLimiter.reset();
    },
    hungRequests: () => hung.size,
    snapshot: () => ({
      account: { ...state.account },
      users: [...state.users.values()],
      pipelines: state.pipelines,
      contacts: [...state.contacts.values()],
      companies: [...state.companies.values()],
      leads: [...state.leads.values()],
      unsorted: state.unsorted,
      tasks: [...state.tasks.values()],
      notes: [...state.notes.values()],
      events: state.events,
      call_cards: state.callCards,
      oauth: oauth.snapshot(),
      rate_limit: rateLimiter.snapshot(),
      clock: clock.snapshot(),
      faults: faults.list(),
      hung_requests: hung.size,
    }),
    async listen(port = 0, host = '127.0.0.1') {
      url = await app.listen({ port, host });
      return url;
    },
    async close() {
      await app.close();
    },
  };
  controlRoutes(sandbox);
  return sandbox;
}

function seedAccount(state: AmoStore, seed: SandboxSeed): SeededIds {
  return {
    users: (seed.users ?? []).map((user) => state.addUser(user).id),
    companies: (seed.companies ?? []).map((company) => state.seedParty('companies', company).id),
    contacts: (seed.contacts ?? []).map((contact) => state.seedParty('contacts', contact).id),
    leads: (seed.leads ?? []).map((lead) => state.seedLead(lead).id),
  };
}

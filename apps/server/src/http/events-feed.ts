import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { roleAllows, type CallEvent } from '@provod/contracts';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Principal } from '../auth/principal.ts';
import type { Services } from '../runtime/services.ts';
import { sessionCookie } from './authenticate.ts';

export const eventsFeedPath = '/api/v1/events';

/**
 * The live feed (`GET /api/v1/events`, WebSocket): the tenant's calls in progress as a
 * snapshot, then every call's start, answer and end as JSON text messages
 * (contracts/call-event.ts). Authenticated as the API is — a bearer API key or the session
 * cookie — with `calls:read`; a cookie must come from the cabinet's own origin (a page
 * elsewhere cannot open the feed with the user's cookie: cross-site WebSocket hijacking).
 * Attached to Provod's HTTP server beside SIP over WebSocket; other paths are left alone.
 */
export function attachEventsFeed(options: {
  server: HttpServer | HttpsServer;
  services: Services;
  parseCookie: (header: string) => Record<string, string | undefined>;
  logger: Logger;
}): () => void {
  const sockets = new WebSocketServer({ noServer: true });

  async function principalOf(request: IncomingMessage): Promise<Principal | 'bad_origin' | null> {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const [scheme, secret] = authorization.split(' ');
      if (scheme?.toLowerCase() !== 'bearer' || secret === undefined) return null;
      return (await options.services.auth.resolveApiKey(secret)) ?? null;
    }
    const token = options.parseCookie(request.headers.cookie ?? '')[sessionCookie];
    if (token === undefined) return null;
    if (!sameOrigin(request)) return 'bad_origin';
    return (await options.services.auth.resolveSession(token))?.principal ?? null;
  }

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== eventsFeedPath) return;
    principalOf(request)
      .then((principal) => {
        if (principal === null) return refuse(socket, 401, 'log in or send an API key');
        if (principal === 'bad_origin') return refuse(socket, 403, 'cross-origin request');
        const tenantId = principal.tenantId;
        if (tenantId === null || !roleAllows(principal.role, 'calls:read')) {
          return refuse(socket, 403, 'calls:read is needed');
        }
        sockets.handleUpgrade(request, socket, head, (ws) => {
          const send = (event: CallEvent) => ws.send(JSON.stringify(event));
          const unsubscribe = options.services.callEvents.subscribe(tenantId, send);
          ws.on('close', unsubscribe);
          ws.on('error', (error) => {
            options.logger.debug({ err: error }, 'events feed socket failed');
            unsubscribe();
          });
        });
      })
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'events feed upgrade failed');
        refuse(socket, 500, 'internal error');
      });
  }

  options.server.on('upgrade', onUpgrade);
  return () => {
    options.server.off('upgrade', onUpgrade);
    for (const client of sockets.clients) client.terminate();
    sockets.close();
  };
}

/** The Origin's host is the Host the request came to (browsers always send Origin here). */
function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: 401 | 403 | 500, reason: string): void {
  const text = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' }[status];
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${reason}\n`,
  );
}

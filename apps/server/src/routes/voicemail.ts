import {
  idParams,
  pageOf,
  voicemailMessageSchema,
  voicemailQuerySchema,
  voicemailUpdateSchema,
  type VoicemailMessage,
} from '@provod/contracts';
import type { VoicemailRecord } from '@provod/db';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import { sendAudio } from './audio-response.ts';

const tags = ['voicemail'];

function present({ storagePath: _internal, ...message }: VoicemailRecord): VoicemailMessage {
  return { ...message, contentUrl: `/api/v1/voicemail/${message.id}/content` };
}

export function voicemailRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/voicemail',
    {
      config: { permission: 'voicemail:read' },
      schema: {
        tags,
        summary: 'Voicemail messages, newest first',
        querystring: voicemailQuerySchema,
        response: { 200: pageOf(voicemailMessageSchema) },
      },
    },
    async (request) => {
      const page = await services.voicemail.list(tenantContext(request), request.query);
      return { ...page, items: page.items.map(present) };
    },
  );
  app.get(
    '/voicemail/:id',
    {
      config: { permission: 'voicemail:read' },
      schema: { tags, params: idParams, response: { 200: voicemailMessageSchema } },
    },
    async (request) =>
      present(await services.voicemail.get(tenantContext(request), request.params.id)),
  );
  app.get(
    '/voicemail/:id/content',
    {
      config: { permission: 'voicemail:read' },
      schema: { tags, summary: 'The audio file', params: idParams },
    },
    async (request, reply) =>
      sendAudio(
        request,
        reply,
        await services.voicemail.content(tenantContext(request), request.params.id),
      ),
  );
  app.patch(
    '/voicemail/:id',
    {
      config: { permission: 'voicemail:write' },
      schema: {
        tags,
        summary: 'Mark a message heard or unheard',
        params: idParams,
        body: voicemailUpdateSchema,
        response: { 200: voicemailMessageSchema },
      },
    },
    async (request) =>
      present(
        await services.voicemail.update(tenantContext(request), request.params.id, request.body),
      ),
  );
  app.delete(
    '/voicemail/:id',
    {
      config: { permission: 'voicemail:write' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.voicemail.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

import {
  idParams,
  pageOf,
  recordingQuerySchema,
  recordingSchema,
  type Recording,
} from '@provod/contracts';
import type { RecordingRecord } from '@provod/db';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import { sendAudio } from './audio-response.ts';

const tags = ['recordings'];

function present({ storagePath: _internal, ...recording }: RecordingRecord): Recording {
  return { ...recording, contentUrl: `/api/v1/recordings/${recording.id}/content` };
}

export function recordingRoutes(app: ProvodApp, services: Services): void {
  app.get(
    '/recordings',
    {
      config: { permission: 'recordings:read' },
      schema: {
        tags,
        summary: 'Call recordings, newest first',
        querystring: recordingQuerySchema,
        response: { 200: pageOf(recordingSchema) },
      },
    },
    async (request) => {
      const page = await services.recordings.list(tenantContext(request), request.query);
      return { ...page, items: page.items.map(present) };
    },
  );
  app.get(
    '/recordings/:id',
    {
      config: { permission: 'recordings:read' },
      schema: { tags, params: idParams, response: { 200: recordingSchema } },
    },
    async (request) =>
      present(await services.recordings.get(tenantContext(request), request.params.id)),
  );
  app.get(
    '/recordings/:id/content',
    {
      config: { permission: 'recordings:read' },
      schema: { tags, summary: 'The audio file', params: idParams },
    },
    async (request, reply) =>
      sendAudio(
        request,
        reply,
        await services.recordings.content(tenantContext(request), request.params.id),
      ),
  );
  app.delete(
    '/recordings/:id',
    {
      config: { permission: 'recordings:write' },
      schema: {
        tags,
        summary: 'Delete a recording and its audio file now, before its retention ends',
        params: idParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await services.recordings.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}

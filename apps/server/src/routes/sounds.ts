import {
  idParams,
  ProvodError,
  soundFileSchema,
  soundMaxBytes,
  soundUpdateSchema,
  soundUploadContentTypes,
  soundUploadQuerySchema,
  type SoundFile,
} from '@provod/contracts';
import type { SoundFileRecord } from '@provod/db';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import { soundContentTypeOf } from '../sounds/audio-probe.ts';
import { sendAudio } from './audio-response.ts';

const tags = ['sounds'];
const unsupported = `send the file as the body with Content-Type ${soundUploadContentTypes.join(', ')}`;

/** Where the bytes live is the server's business, not the API's. */
function present(record: SoundFileRecord): SoundFile {
  const { storagePath: _internal, ...sound } = record;
  return sound;
}

/** Refused before the body is read: a wrong type should not cost a 20 MiB upload. */
async function requireSoundContentType(request: FastifyRequest): Promise<void> {
  if (!soundContentTypeOf(request.headers['content-type'])) {
    throw new ProvodError('unsupported_media_type', unsupported);
  }
}

export function soundRoutes(app: ProvodApp, services: Services): void {
  // Its own plugin, so the raw-audio body parser exists for these routes only.
  void app.register(async (instance) => {
    const scope = instance as ProvodApp;
    scope.addContentTypeParser(
      [...soundUploadContentTypes],
      { parseAs: 'buffer' },
      (_request, body, done) => done(null, body),
    );

    scope.get(
      '/sounds',
      {
        config: { permission: 'numberplan:read' },
        schema: { tags, response: { 200: z.array(soundFileSchema) } },
      },
      async (request) => (await services.sounds.list(tenantContext(request))).map(present),
    );
    scope.get(
      '/sounds/:id',
      {
        config: { permission: 'numberplan:read' },
        schema: { tags, params: idParams, response: { 200: soundFileSchema } },
      },
      async (request) =>
        present(await services.sounds.get(tenantContext(request), request.params.id)),
    );
    scope.get(
      '/sounds/:id/content',
      {
        config: { permission: 'numberplan:read' },
        schema: { tags, summary: 'The file itself, with its content type', params: idParams },
      },
      async (request, reply) =>
        sendAudio(
          request,
          reply,
          await services.sounds.content(tenantContext(request), request.params.id),
        ),
    );
    scope.post(
      '/sounds',
      {
        config: { permission: 'numberplan:write', binaryBody: [...soundUploadContentTypes] },
        bodyLimit: soundMaxBytes,
        onRequest: requireSoundContentType,
        schema: {
          tags,
          summary: `Upload a sound (WAV: 16-bit PCM, A-law or µ-law, 8–48 kHz, mono or stereo; or MP3) as the raw body, at most ${soundMaxBytes / 1024 / 1024} MiB`,
          querystring: soundUploadQuerySchema,
          response: { 201: soundFileSchema },
        },
      },
      async (request, reply) => {
        const contentType = soundContentTypeOf(request.headers['content-type']);
        const body: unknown = request.body;
        if (!contentType || !Buffer.isBuffer(body)) {
          throw new ProvodError('unsupported_media_type', unsupported);
        }
        const created = await services.sounds.upload(
          tenantContext(request),
          request.query,
          contentType,
          body,
        );
        return reply.status(201).send(present(created));
      },
    );
    scope.patch(
      '/sounds/:id',
      {
        config: { permission: 'numberplan:write' },
        schema: {
          tags,
          summary: 'Rename a sound or change its purpose; upload a new file to change the audio',
          params: idParams,
          body: soundUpdateSchema,
          response: { 200: soundFileSchema },
        },
      },
      async (request) =>
        present(
          await services.sounds.update(tenantContext(request), request.params.id, request.body),
        ),
    );
    scope.delete(
      '/sounds/:id',
      {
        config: { permission: 'numberplan:write' },
        schema: { tags, params: idParams, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await services.sounds.delete(tenantContext(request), request.params.id);
        return reply.status(204).send(null);
      },
    );
  });
}

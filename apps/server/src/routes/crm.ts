import {
  bitrix24InstallLinkSchema,
  crmCallAttemptSchema,
  crmConnectionCreateSchema,
  crmConnectionSchema,
  crmConnectionUpdateSchema,
  idParams,
  idSchema,
  ProvodError,
} from '@provod/contracts';
import { z } from 'zod';
import { tenantContext } from '../http/authenticate.ts';
import type { ProvodApp } from '../http/route-config.ts';
import type { Services } from '../runtime/services.ts';
import { installFinishedPage, readBitrixInstallation } from '../crm/bitrix-install.ts';
import { sendAudio } from './audio-response.ts';

const tags = ['crm'];

const sharedRecordingQuery = z.strictObject({
  tenant: idSchema,
  expires: z.coerce.number().int().positive(),
  signature: z.string().min(1).max(100),
});

/** What amoCRM appends to the redirect URI after the install (oauth/step-by-step page). */
const amoInstalledQuery = z.object({
  code: z.string().min(1).max(4000),
  referer: z.string().min(1).max(255).describe("The account's host, e.g. company.amocrm.ru"),
  state: z.string().min(1).max(2000),
});

/** The query of the portal's installation report (the rest comes as a form). */
const bitrixInstalledQuery = z.object({
  state: z.string().min(1).max(2000),
  DOMAIN: z.string().max(255).optional(),
  PROTOCOL: z.string().max(2).optional(),
  LANG: z.string().max(10).optional(),
  APP_SID: z.string().max(200).optional(),
});

export function crmRoutes(app: ProvodApp, services: Services): void {
  app.post(
    '/crm/bitrix24/install-link',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags,
        summary:
          'A Bitrix24 connection that waits for the portal: set installUrl as the local application’s install path',
        body: bitrix24InstallLinkSchema,
        response: { 201: z.object({ connection: crmConnectionSchema, installUrl: z.url() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await services.crm.bitrixInstallLink(tenantContext(request), request.body)),
  );
  // Its own plugin, so the form parser (Bitrix24 posts the installation as a form) exists here only.
  void app.register(async (instance) => {
    const scope = instance as ProvodApp;
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/crm/bitrix24/installed',
      {
        config: { public: true },
        schema: {
          tags,
          summary: "The portal's report of the application's installation (install path)",
          querystring: bitrixInstalledQuery,
        },
      },
      async (request, reply) => {
        const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
        const installation = readBitrixInstallation(form, request.query);
        await services.crm.completeBitrixInstall(request.query.state, installation);
        return reply.type('text/html; charset=utf-8').send(installFinishedPage);
      },
    );
  });
  app.post(
    '/crm/amocrm/install-link',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags,
        summary: "Where to install Provod's amoCRM integration (it comes back with a code)",
        body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
        response: { 200: z.object({ url: z.url(), redirectUri: z.url() }) },
      },
    },
    async (request) => services.crm.amoInstallLink(tenantContext(request), request.body),
  );
  app.get(
    '/crm/amocrm/installed',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "amoCRM's redirect after the install: the connection is created, then the cabinet",
        querystring: amoInstalledQuery,
      },
    },
    async (request, reply) => {
      const connection = await services.crm.completeAmoInstall(request.query);
      return reply.redirect(`/?crm=connected&connection=${connection.id}`, 302);
    },
  );
  app.get(
    '/crm/connections',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags,
        summary: "The tenant's CRM connections (never their secrets or tokens)",
        response: { 200: z.array(crmConnectionSchema) },
      },
    },
    async (request) => services.crm.list(tenantContext(request)),
  );
  app.post(
    '/crm/connections',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags,
        summary: 'Connect an amoCRM account: the install code is swapped for tokens first',
        body: crmConnectionCreateSchema,
        response: { 201: crmConnectionSchema },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await services.crm.create(tenantContext(request), request.body)),
  );
  app.get(
    '/crm/connections/:id',
    {
      config: { permission: 'integrations:read' },
      schema: { tags, params: idParams, response: { 200: crmConnectionSchema } },
    },
    async (request) => services.crm.get(tenantContext(request), request.params.id),
  );
  app.patch(
    '/crm/connections/:id',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags,
        summary: 'Rename, enable or disable a connection, or change its rules (in part)',
        params: idParams,
        body: crmConnectionUpdateSchema,
        response: { 200: crmConnectionSchema },
      },
    },
    async (request) => services.crm.update(tenantContext(request), request.params.id, request.body),
  );
  app.delete(
    '/crm/connections/:id',
    {
      config: { permission: 'integrations:write' },
      schema: { tags, params: idParams, response: { 204: z.null() } },
    },
    async (request, reply) => {
      await services.crm.delete(tenantContext(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/calls/:id/crm',
    {
      config: { permission: 'integrations:read' },
      schema: {
        tags,
        summary: 'What this call sent to each CRM and why: every attempt, step and request',
        params: idParams,
        response: { 200: z.array(crmCallAttemptSchema) },
      },
    },
    async (request) => services.crm.callAttempts(tenantContext(request), request.params.id),
  );
  app.post(
    '/calls/:id/crm/replay',
    {
      config: { permission: 'integrations:write' },
      schema: {
        tags,
        summary: 'Send the call to the CRMs again (steps already done are not repeated)',
        params: idParams,
        response: { 202: z.object({ jobIds: z.array(idSchema) }) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await services.crm.replay(tenantContext(request), request.params.id)),
  );
  app.get(
    '/shared/recordings/:id',
    {
      config: { public: true },
      schema: {
        tags,
        summary: "A call's recording through a signed link, as CRM records carry it",
        params: idParams,
        querystring: sharedRecordingQuery,
      },
    },
    async (request, reply) => {
      const { tenant, expires, signature } = request.query;
      const link = { tenantId: tenant, recordingId: request.params.id, expires, signature };
      if (!(await services.crm.recordingLinks.verify(link)))
        throw new ProvodError('not_found', 'no such recording link (or it has expired)');
      const ctx = {
        tenantId: tenant,
        actor: { type: 'system', id: null },
        role: 'viewer',
      } as const;
      return sendAudio(request, reply, await services.recordings.content(ctx, request.params.id));
    },
  );
}

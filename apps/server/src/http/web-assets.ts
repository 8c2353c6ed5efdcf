import { existsSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { ProvodError } from '@provod/contracts';
import type { ProvodApp } from './route-config.ts';

/** Where `vite build` of apps/web writes the cabinet (apps/web/vite.config.ts). */
export const defaultWebRoot = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

/** Vite names built assets by content hash (https://vite.dev/guide/build), so they never change. */
const hashedAssetsDir = 'assets';
const hashedAssetsPrefix = `/${hashedAssetsDir}/`;
const immutable = 'public, max-age=31536000, immutable';
// RFC 9111 §5.2.2.4: no-cache stores but revalidates, so a new release's index.html (and
// with it the new asset names) reaches the browser on the next load.
const revalidate = 'no-cache';

/**
 * The web cabinet next to the API: the files of its build, and index.html for every other
 * GET outside /api, so the cabinet's history-mode routes (/extensions, …) survive a
 * reload. Without a build the API still runs and one line in the log says why there is
 * no cabinet.
 */
export async function registerWebAssets(app: ProvodApp, root = defaultWebRoot): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(
      `web cabinet not built (no ${join(root, 'index.html')}): serving the API only; build it with "npm run build -w @provod/web"`,
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    // One route per file found at start-up: a release's build does not change while it runs,
    // and unknown paths fall through to the SPA route below instead of a 404.
    wildcard: false,
    cacheControl: false,
    setHeaders: (response, file) => {
      const isHashedAsset = relative(root, file).split(sep)[0] === hashedAssetsDir;
      response.setHeader('cache-control', isHashedAsset ? immutable : revalidate);
    },
  });
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    // The API and a missing hashed asset keep their 404: HTML there would only confuse.
    if (path === '/api' || path.startsWith('/api/') || path.startsWith(hashedAssetsPrefix)) {
      throw new ProvodError('not_found', `no route ${request.method} ${path}`);
    }
    return reply.sendFile('index.html');
  });
}

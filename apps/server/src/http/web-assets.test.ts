import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleError } from './error-handler.ts';
import type { ProvodApp } from './route-config.ts';
import { registerWebAssets } from './web-assets.ts';

const indexHtml = '<!doctype html><title>cabinet</title><div id="app"></div>';
const assetJs = 'console.log("built");';

function appWithLog(lines: string[]): ProvodApp {
  const logger: FastifyBaseLogger = pino(
    { level: 'info' },
    { write: (line: string) => lines.push(line) },
  );
  const app = Fastify({ loggerInstance: logger }).withTypeProvider<ZodTypeProvider>();
  app.setErrorHandler(handleError);
  app.get('/api/v1/ping', async () => ({ pong: true }));
  return app;
}

describe('registerWebAssets', () => {
  let dir: string;
  let app: ProvodApp;
  let log: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'provod-web-assets-'));
    log = [];
    app = appWithLog(log);
  });
  afterEach(async () => {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function writeBuild(): void {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), indexHtml);
    writeFileSync(join(dir, 'assets', 'index-Bx7kQ2aZ.js'), assetJs);
    writeFileSync(join(dir, 'robots.txt'), 'User-agent: *\n');
  }

  it('serves index.html at / and revalidates it on every load', async () => {
    writeBuild();
    await registerWebAssets(app, dir);
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toBe(indexHtml);
  });

  it('serves hashed assets as immutable and other files as no-cache', async () => {
    writeBuild();
    await registerWebAssets(app, dir);
    const asset = await app.inject({ method: 'GET', url: '/assets/index-Bx7kQ2aZ.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.body).toBe(assetJs);
    const robots = await app.inject({ method: 'GET', url: '/robots.txt' });
    expect(robots.statusCode).toBe(200);
    expect(robots.headers['cache-control']).toBe('no-cache');
  });

  it('answers the cabinet routes with index.html (history-mode fallback)', async () => {
    writeBuild();
    await registerWebAssets(app, dir);
    for (const url of ['/extensions', '/login?redirect=%2Fsettings', '/a/b/c']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toBe(indexHtml);
      expect(response.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('keeps a JSON 404 for unknown API paths and missing assets', async () => {
    writeBuild();
    await registerWebAssets(app, dir);
    for (const url of ['/api/v1/nothing-here', '/api', '/assets/gone-123.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json<{ error: { code: string } }>().error.code, url).toBe('not_found');
    }
    const api = await app.inject({ method: 'GET', url: '/api/v1/ping' });
    expect(api.json()).toEqual({ pong: true });
  });

  it('never serves a file outside the build', async () => {
    writeBuild();
    const outside = `${dir}-secret.txt`;
    writeFileSync(outside, 'not for the web');
    try {
      await registerWebAssets(app, dir);
      const name = outside.split('/').at(-1) ?? '';
      for (const url of [`/../${name}`, `/%2e%2e/${name}`, `/assets/..%2f..%2f${name}`]) {
        const response = await app.inject({ method: 'GET', url });
        expect(response.body, url).not.toContain('not for the web');
      }
    } finally {
      rmSync(outside);
    }
  });

  it('without a build logs one line and still serves the API', async () => {
    await registerWebAssets(app, dir);
    const warnings = log.filter((line) => line.includes('web cabinet not built'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(join(dir, 'index.html'));
    expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/extensions' })).statusCode).toBe(404);
  });
});

import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The cabinet's build: `vite build` writes dist/, which `provod start` serves
 * (apps/server/src/http/web-assets.ts); `vite` serves the sources with the API proxied to
 * a Provod running on 8080 (https://vite.dev/config/server-options#server-proxy).
 * The root is pinned so a build started from any directory (npm start, the e2e test)
 * finds index.html.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});

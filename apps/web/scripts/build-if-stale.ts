import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const webDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = join(webDir, '..', '..');
export const builtIndex = join(webDir, 'dist', 'index.html');

/** What the build is made of: the cabinet's sources, its config, the contracts, the lock file. */
const inputs = [
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(webDir, 'package.json'),
  join(webDir, 'src'),
  join(repoDir, 'packages', 'contracts', 'src'),
  join(repoDir, 'package-lock.json'),
];

function newestChange(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, entry) => Math.max(newest, newestChange(join(path, entry))),
    stat.mtimeMs,
  );
}

/** The build is stale when it is missing or any input changed after it was written. */
export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  const builtAt = statSync(builtIndex).mtimeMs;
  return inputs.some((input) => existsSync(input) && newestChange(input) > builtAt);
}

/**
 * Build apps/web/dist unless it is up to date: `npm start` runs this first (the root
 * "prestart" script), so a fresh clone gets its cabinet and a second start costs nothing.
 */
export async function ensureWebBuild(): Promise<'fresh' | 'built'> {
  if (!webBuildIsStale()) return 'fresh';
  // A process of its own with NODE_ENV=production: Vite takes process.env.NODE_ENV over the
  // build mode (https://vite.dev/guide/env-and-mode#node-env-and-modes), and a test runner
  // sets it to "test", which would ship Vue's and Ant Design's development code.
  const viteCli = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  const build = spawn(process.execPath, [viteCli, 'build', '--logLevel', 'warn'], {
    cwd: webDir,
    env: { ...process.env, NODE_ENV: 'production' },
    // Warnings and errors of the build reach the person (or CI log) that started it.
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const [code, signal] = (await once(build, 'exit')) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    throw new Error(`vite build of apps/web failed (${signal ?? `exit code ${String(code)}`})`);
  }
  return 'built';
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  const outcome = await ensureWebBuild();
  process.stdout.write(
    outcome === 'fresh'
      ? 'web cabinet: build is up to date\n'
      : `web cabinet: built apps/web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

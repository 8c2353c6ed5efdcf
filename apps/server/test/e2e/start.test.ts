import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort } from '../free-port.ts';

const bin = new URL('../../bin/provod.js', import.meta.url).pathname;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startProvod(dir: string, httpPort: number, extra: string[] = []): Started {
  let output = '';
  const child = spawn(
    process.execPath,
    [
      bin,
      'start',
      '--data',
      join(dir, 'data'),
      '--http-port',
      String(httpPort),
      '--log-level',
      'warn',
      ...extra,
    ],
    { cwd: dir, env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

async function waitFor(url: string, deadlineMs: number): Promise<Response> {
  const until = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < until) {
    try {
      return await fetch(url);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${url} did not answer`, { cause: lastError });
}

/** `provod start` as a user runs it: a real process, a real port, SIGTERM to stop. */
describe('provod start (real process)', () => {
  let dir: string;
  let running: Started | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'provod-start-'));
  });
  afterEach(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGKILL');
      await running.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves health and docs, prints the demo credentials that work, and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const sipPort = ['--sip-port', String(await freePort())];
    running = startProvod(dir, port, sipPort);
    const health = await waitFor(`http://127.0.0.1:${port}/healthz`, 20_000);
    expect(health.status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/api/docs/`)).status).toBe(200);

    const out = running.output();
    expect(out).toContain(`is running: http://localhost:${port}`);
    const login = /owner login: (\S+) \/ (\S+)/.exec(out);
    expect(login, out).not.toBeNull();
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: login?.[1], password: login?.[2] }),
    });
    expect(response.status).toBe(200);

    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);

    // A second start on the same data keeps it and creates no second demo tenant.
    running = startProvod(dir, port, sipPort);
    await waitFor(`http://127.0.0.1:${port}/healthz`, 20_000);
    expect(running.output()).not.toContain('Demo tenant');
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
  });

  it('refuses a bad configuration with one line and exit code 2', async () => {
    running = startProvod(dir, 8080, ['--sip-port', 'abc']);
    expect(await running.exited).toBe(2);
    expect(running.output().trim()).toBe(
      'config: sip.port = "abc" (from flag --sip-port): expected a port number',
    );
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from './cli.ts';

describe('provod CLI', () => {
  let dir: string;
  let out: string[];
  let err: string[];
  let io: CliIo;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'provod-cli-'));
    out = [];
    err = [];
    io = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const cli = (...args: string[]) => runCli([...args, '--data', join(dir, 'data')], io);

  it('creates a tenant, an extension with a printed password, and a user, in the same data dir', async () => {
    expect(await cli('migrate')).toBe(0);
    expect(out.join('\n')).toMatch(/database is up to date/);
    expect(await cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme LLC')).toBe(0);
    expect(await cli('extension', 'add', '--tenant', 'acme', '--number', '201')).toBe(0);
    expect(out.join('\n')).toMatch(/SIP password: [A-Za-z0-9]{16}/);
    expect(
      await cli(
        'extension',
        'add',
        '--tenant',
        'acme',
        '--number',
        '202',
        '--password',
        'Secret-202x',
      ),
    ).toBe(0);
    expect(out.join('\n')).not.toMatch(/Secret-202x/);
    expect(
      await cli(
        'user',
        'create',
        '--tenant',
        'acme',
        '--email',
        'Boss@Acme.test',
        '--role',
        'owner',
      ),
    ).toBe(0);
    expect(out.join('\n')).toMatch(/user boss@acme\.test \(owner\) created in acme\npassword: \S+/);
    expect(await cli('tenant', 'list')).toBe(0);
    expect(out.at(-1)).toBe('acme\tacme.provod.local\tactive\tAcme LLC');
  });

  it('makes the demo tenant with extensions 101–105', async () => {
    expect(await cli('demo')).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Demo tenant "demo" (SIP domain demo.provod.local)');
    for (const n of ['101', '102', '103', '104', '105'])
      expect(text).toMatch(new RegExp(`extension ${n}: SIP password \\S{16}`));
    expect(text).toMatch(/owner login: owner@demo\.provod\.local \/ \S+/);
  });

  it('reports bad input in one clear line with a non-zero exit', async () => {
    expect(await cli('extension', 'add', '--tenant', 'nope', '--number', '101')).toBe(2);
    expect(err).toEqual(['no tenant "nope" (see: provod tenant list)']);
    await cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme');
    err.length = 0;
    expect(await cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme again')).toBe(1);
    expect(err.join('\n')).toMatch(/^error \(conflict\): tenant acme already exists/);
    err.length = 0;
    expect(await cli('extension', 'add', '--tenant', 'acme', '--number', 'x1')).toBe(1);
    expect(err.join('\n')).toMatch(/number.*expected 2 to 6 digits/);
    err.length = 0;
    expect(
      await runCli(['migrate', '--data', join(dir, 'data')], {
        ...io,
        env: { PROVOD_HTTP_PORT: 'x' },
      }),
    ).toBe(2);
    expect(err).toEqual([
      'config: http.port = "x" (from environment PROVOD_HTTP_PORT): expected a port number',
    ]);
  });
});

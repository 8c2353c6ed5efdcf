import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDialects, type TestDatabase } from '../../../../packages/db/test/test-databases.ts';
import { runCli } from './cli.ts';

describe.each(testDialects)('provod number add on $name', (dialect) => {
  let database: TestDatabase;
  let cwd: string;
  let out: string[];
  let err: string[];

  beforeEach(async () => {
    database = await dialect.create();
    cwd = mkdtempSync(join(tmpdir(), 'provod-cli-'));
    out = [];
    err = [];
  });
  afterEach(async () => {
    await database.dispose();
    rmSync(cwd, { recursive: true, force: true });
  });

  /** Points the CLI at the test database the way an operator would: --data or --database-url. */
  function cli(...args: string[]): Promise<number> {
    const target = database.target;
    const where =
      target.kind === 'sqlite' ? ['--data', dirname(target.file)] : ['--database-url', target.url];
    return runCli([...args, ...where, '--log-level', 'silent'], {
      out: (text) => out.push(text),
      err: (text) => err.push(text),
      env: {},
      cwd,
    });
  }

  it('adds a number through the same service as the API, refusing duplicates and bad input', async () => {
    expect(await cli('tenant', 'create', '--slug', 'acme', '--name', 'Acme')).toBe(0);
    expect(
      await cli(
        'number',
        'add',
        '--tenant',
        'acme',
        '--number',
        '+7 495 123-45-67',
        '--label',
        'Sales',
      ),
    ).toBe(0);
    expect(out.at(-1)).toMatch(/^phone number \+74951234567 added to acme \(id [0-9a-f-]{36}\)$/);
    const row = await database.handle.db
      .selectFrom('phoneNumbers')
      .select(['e164', 'label'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ e164: '+74951234567', label: 'Sales' });

    expect(await cli('number', 'add', '--tenant', 'acme', '--number', '+74951234567')).toBe(1);
    expect(err.at(-1)).toContain('error (conflict)');
    expect(await cli('number', 'add', '--tenant', 'acme', '--number', '84951234567')).toBe(1);
    expect(err.at(-1)).toBe(
      'error (validation_failed): e164: expected an E.164 number such as +74951234567',
    );
    expect(await cli('number', 'add', '--tenant', 'nobody', '--number', '+74951234568')).toBe(2);
  });
});

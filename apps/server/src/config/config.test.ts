import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'provod-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('has the documented defaults', () => {
    const config = loadConfig({}, {}, dir);
    expect(config.http.port).toBe(8080);
    expect(config.sip.port).toBe(5060);
    expect(config.dataDir).toBe(join(dir, 'data'));
    expect(config.database.url).toBeUndefined();
    expect(config.demo).toBe(true);
  });

  it('layers file < environment < flags', () => {
    writeFileSync(
      join(dir, 'provod.config.json'),
      JSON.stringify({ http: { port: 9001 }, sip: { port: 5070 }, dataDir: 'from-file' }),
    );
    const fileOnly = loadConfig({}, {}, dir);
    expect([fileOnly.http.port, fileOnly.sip.port]).toEqual([9001, 5070]);

    const env = { PROVOD_HTTP_PORT: '9002', PROVOD_DATA_DIR: '/srv/provod' };
    const withEnv = loadConfig({}, env, dir);
    expect([withEnv.http.port, withEnv.sip.port, withEnv.dataDir]).toEqual([
      9002,
      5070,
      '/srv/provod',
    ]);

    const withFlags = loadConfig({ httpPort: '9003', demo: false }, env, dir);
    expect([withFlags.http.port, withFlags.demo]).toEqual([9003, false]);
  });

  it("takes Provod's amoCRM integration from the environment, with the amoCRM hosts by default", () => {
    const config = loadConfig(
      {},
      { PROVOD_AMOCRM_CLIENT_ID: 'app-id', PROVOD_AMOCRM_CLIENT_SECRET: 'app-secret' },
      dir,
    );
    expect(config.crm.amocrm).toEqual({
      clientId: 'app-id',
      clientSecret: 'app-secret',
      accountHosts: ['.amocrm.ru', '.amocrm.com', '.kommo.com'],
    });
  });

  it('reads --config PATH and DATABASE_URL', () => {
    const file = join(dir, 'other.json');
    writeFileSync(file, JSON.stringify({ log: { level: 'debug' } }));
    const config = loadConfig({ config: file }, { DATABASE_URL: 'postgres://u@h/db' }, dir);
    expect(config.log.level).toBe('debug');
    expect(config.database.url).toBe('postgres://u@h/db');
  });

  it('stops with one line naming the key, the value, its source and what is expected', () => {
    expect(() => loadConfig({}, { PROVOD_HTTP_PORT: 'eighty' }, dir)).toThrowError(
      new ConfigError(
        'config: http.port = "eighty" (from environment PROVOD_HTTP_PORT): expected a port number',
      ),
    );
    expect(() => loadConfig({ sipPort: '70000' }, {}, dir)).toThrowError(
      /^config: sip\.port = "70000" \(from flag --sip-port\): expected a port between 1 and 65535$/,
    );
    expect(() => loadConfig({}, { PROVOD_DEMO: 'maybe' }, dir)).toThrowError(
      /demo = "maybe" \(from environment PROVOD_DEMO\): expected true or false/,
    );
  });

  it('reads the SIP digest algorithms as a comma list and refuses unknown ones', () => {
    expect(loadConfig({}, {}, dir).sip.digestAlgorithms).toEqual(['MD5']);
    const both = loadConfig({}, { PROVOD_SIP_DIGEST_ALGORITHMS: 'SHA-256, MD5' }, dir);
    expect(both.sip.digestAlgorithms).toEqual(['SHA-256', 'MD5']);
    expect(() => loadConfig({}, { PROVOD_SIP_DIGEST_ALGORITHMS: 'SHA-1' }, dir)).toThrowError(
      /^config: sip\.digestAlgorithms = "SHA-1" \(from environment PROVOD_SIP_DIGEST_ALGORITHMS\): expected MD5 and\/or SHA-256$/,
    );
  });

  it('names an unknown key and a broken file', () => {
    writeFileSync(join(dir, 'provod.config.json'), JSON.stringify({ http: { prot: 1 } }));
    expect(() => loadConfig({}, {}, dir)).toThrowError(/unknown key http\.prot/);
    writeFileSync(join(dir, 'provod.config.json'), '{ not json');
    expect(() => loadConfig({}, {}, dir)).toThrowError(/is not valid JSON/);
    expect(() => loadConfig({ config: join(dir, 'missing.json') }, {}, dir)).toThrowError(
      /cannot read .*missing\.json/,
    );
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway self-signed certificate for the TLS and WSS tests, made by the openssl
 * CLI in a temporary folder that is removed at once: it names "localhost" and
 * 127.0.0.1 (subjectAltName), so a client that trusts it as its CA verifies the
 * loopback server either by name or by address.
 */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

export function makeSelfSignedCertificate(): TestCertificate {
  const folder = mkdtempSync(join(tmpdir(), 'provod-tls-'));
  try {
    const keyPath = join(folder, 'key.pem');
    const certPath = join(folder, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'pipe' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

import { readFileSync } from 'node:fs';
import { ConfigError, type ProvodConfig } from '../config/config.ts';

/**
 * The certificate and key for SIP over TLS, read once at start; none when not
 * configured. An unreadable file stops the start with one line naming the setting.
 */
export function sipTlsCredentials(
  config: ProvodConfig,
): { port: number; key: string; cert: string } | undefined {
  const { tlsCertFile, tlsKeyFile, tlsPort } = config.sip;
  if (tlsCertFile === undefined || tlsKeyFile === undefined) return undefined;
  return {
    port: tlsPort,
    cert: readSetting('sip.tlsCertFile', tlsCertFile),
    key: readSetting('sip.tlsKeyFile', tlsKeyFile),
  };
}

function readSetting(key: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`config: ${key} = "${path}": cannot read the file (${reason})`);
  }
}

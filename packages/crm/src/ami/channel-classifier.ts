/**
 * Which Asterisk channels are trunks and which are extensions. Asterisk names a channel
 * `<tech>/<endpoint>-<sequence>` (`PJSIP/101-0000000a`, `PJSIP/trunk-0000000b`,
 * `SIP/gw1-00000003`); Local channels are `Local/<exten>@<context>-<sequence>;1|2`. Only the
 * tenant knows which endpoints are trunks, so both lists are configured: a string is a
 * prefix of the channel name (`'PJSIP/trunk-'`), a RegExp is tested against the whole name
 * and may capture the extension number as `(?<ext>…)`.
 */
export type ChannelPattern = string | RegExp;

export interface ChannelClassifierConfig {
  readonly trunks: readonly ChannelPattern[];
  readonly extensions: readonly ChannelPattern[];
}

export type ChannelRole = 'trunk' | 'extension' | 'other';

export interface ChannelClass {
  readonly role: ChannelRole;
  /** The channel name without its sequence suffix: `PJSIP/101`. */
  readonly endpoint: string;
  /** The extension number, for extension channels. */
  readonly extension: string | null;
}

/** `PJSIP/101-0000000a` → `PJSIP/101`; `Local/201@internal-00000004;2` → `Local/201@internal`. */
export function channelEndpoint(channel: string): string {
  return channel.replace(/;\d+$/, '').replace(/-[0-9a-f]+$/i, '');
}

function matches(pattern: ChannelPattern, channel: string): RegExpExecArray | boolean {
  if (typeof pattern === 'string') return channel.startsWith(pattern);
  return pattern.exec(channel) ?? false;
}

export function classifyChannel(config: ChannelClassifierConfig, channel: string): ChannelClass {
  const endpoint = channelEndpoint(channel);
  if (config.trunks.some((pattern) => matches(pattern, channel) !== false)) {
    return { role: 'trunk', endpoint, extension: null };
  }
  for (const pattern of config.extensions) {
    const match = matches(pattern, channel);
    if (match === false) continue;
    const captured = typeof match === 'object' ? match.groups?.ext : undefined;
    // Without a capture, the extension is the endpoint's name: PJSIP/101 → 101.
    const extension = captured ?? endpoint.slice(endpoint.indexOf('/') + 1);
    return { role: 'extension', endpoint, extension };
  }
  return { role: 'other', endpoint, extension: null };
}

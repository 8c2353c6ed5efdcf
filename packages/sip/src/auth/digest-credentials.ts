import { formatAuthParams, parseAuthParams, type AuthParamOut } from './auth-params.ts';
import { digestHashOf, digestHexLength, toDigestAlgorithm } from './digest-algorithm.ts';
import { DigestError } from './digest-error.ts';

/*
 * Digest credentials: the value of Authorization or Proxy-Authorization.
 * RFC 3261 §25.1, with RFC 7616 §3.4 and RFC 8760 §2 (longer responses for SHA-256):
 *
 *   credentials      =  "Digest" LWS digest-response
 *   digest-response  =  dig-resp *(COMMA dig-resp)
 *   dig-resp         =  username / realm / nonce / digest-uri / dresponse / algorithm
 *                       / cnonce / opaque / message-qop / nonce-count / auth-param
 *   username         =  "username" EQUAL quoted-string
 *   digest-uri       =  "uri" EQUAL LDQUOT Request-URI RDQUOT
 *   dresponse        =  "response" EQUAL LDQUOT 32LHEX RDQUOT     (64LHEX for SHA-256)
 *   message-qop      =  "qop" EQUAL qop-value
 *   cnonce           =  "cnonce" EQUAL quoted-string
 *   nonce-count      =  "nc" EQUAL 8LHEX
 *
 * Quoting is not enforced per field: `algorithm="MD5"` or `qop="auth"` from a phone that
 * over-quotes means the same thing, and the values (not their quotes) enter the hash.
 */

export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  /** The request-digest, lower-cased. */
  readonly response: string;
  /** The algorithm token as sent; absent means MD5. */
  readonly algorithm: string;
  readonly cnonce?: string | undefined;
  readonly opaque?: string | undefined;
  /** The chosen qop (`auth`); absent for the RFC 2069 form. */
  readonly qop?: string | undefined;
  /** nonce-count as written (8 hex digits): the hash takes it verbatim. */
  readonly nc?: string | undefined;
}

type MandatoryParam = 'username' | 'realm' | 'nonce' | 'uri' | 'response';
const HEX = /^[0-9a-fA-F]+$/;
const NONCE_COUNT = /^[0-9a-fA-F]{8}$/;

/** Parses one Authorization / Proxy-Authorization value; throws `DigestError` if unusable. */
export function parseDigestCredentials(value: string): DigestCredentials {
  const { params } = parseAuthParams(value, 'Digest');
  // RFC 7616 §3.4 and RFC 3261 §22.4: these five are always required.
  const required = (name: MandatoryParam): string => {
    const param = params.get(name);
    if (param === undefined) {
      throw new DigestError('missing_parameter', `credentials lack ${name}`, name);
    }
    return param.value;
  };
  const username = required('username');
  const realm = required('realm');
  const nonce = required('nonce');
  const uri = required('uri');
  const response = required('response');

  const algorithm = params.get('algorithm')?.value ?? 'MD5';
  const known = toDigestAlgorithm(algorithm);
  const expectedLength = known === undefined ? undefined : digestHexLength[digestHashOf(known)];
  if (!HEX.test(response) || (expectedLength !== undefined && response.length !== expectedLength)) {
    throw new DigestError(
      'invalid_parameter',
      `response must be ${expectedLength ?? 'some'} hex digits for ${algorithm}`,
      'response',
    );
  }

  const qop = params.get('qop')?.value;
  const cnonce = params.get('cnonce')?.value;
  const nc = params.get('nc')?.value;
  if (qop !== undefined) {
    // RFC 7616 §3.4: with a qop the client MUST send cnonce and nc.
    if (cnonce === undefined) {
      throw new DigestError('missing_parameter', `qop=${qop} needs cnonce`, 'cnonce');
    }
    if (nc === undefined) throw new DigestError('missing_parameter', `qop=${qop} needs nc`, 'nc');
  }
  if (nc !== undefined && !NONCE_COUNT.test(nc)) {
    throw new DigestError('invalid_parameter', 'nc must be 8 hex digits', 'nc');
  }
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm,
    cnonce,
    opaque: params.get('opaque')?.value,
    qop,
    nc,
  };
}

/** The nonce-count as a number (RFC 7616 §3.4: hexadecimal, first use is 00000001). */
export function nonceCountValue(nc: string): number {
  if (!NONCE_COUNT.test(nc)) {
    throw new DigestError('invalid_parameter', 'nc must be 8 hex digits', 'nc');
  }
  return Number.parseInt(nc, 16);
}

/** Writes credentials (a UAC answering a trunk's challenge); inverse of the parser. */
export function formatCredentials(credentials: DigestCredentials): string {
  const quoted = (name: string, value: string): AuthParamOut => ({ name, value, quoted: true });
  const token = (name: string, value: string): AuthParamOut => ({ name, value, quoted: false });
  const params: AuthParamOut[] = [
    quoted('username', credentials.username),
    quoted('realm', credentials.realm),
    quoted('nonce', credentials.nonce),
    quoted('uri', credentials.uri),
    quoted('response', credentials.response),
    token('algorithm', credentials.algorithm),
  ];
  if (credentials.cnonce !== undefined) params.push(quoted('cnonce', credentials.cnonce));
  if (credentials.opaque !== undefined) params.push(quoted('opaque', credentials.opaque));
  if (credentials.qop !== undefined) params.push(token('qop', credentials.qop));
  if (credentials.nc !== undefined) params.push(token('nc', credentials.nc));
  return formatAuthParams('Digest', params);
}

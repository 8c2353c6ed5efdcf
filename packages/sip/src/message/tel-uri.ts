import { SipParseError } from './parse-error.ts';

/**
 * TEL URIs, RFC 3966 §3 (the basic shape; parameters are kept as received):
 *
 *   telephone-uri        = "tel:" telephone-subscriber
 *   telephone-subscriber = global-number / local-number
 *   global-number-digits = "+" *phonedigit DIGIT *phonedigit
 *   local-number-digits  = *phonedigit-hex (HEXDIG / "*" / "#") *phonedigit-hex
 *   phonedigit           = DIGIT / visual-separator   ; "-" / "." / "(" / ")"
 *   par                  = parameter / extension / isdn-subaddress   ; ";" pname ["=" pvalue]
 *
 * A local number must carry a phone-context parameter (RFC 3966 §5.1.5).
 */
export interface TelUri {
  readonly kind: 'tel';
  /** The number as written, visual separators included: `+1-201-555-0123`. */
  readonly number: string;
  readonly params: readonly { readonly name: string; readonly value: string | undefined }[];
}

const GLOBAL_RE = /^\+[0-9\-.()]*[0-9][0-9\-.()]*$/;
const LOCAL_RE = /^[0-9A-Fa-f*#\-.()]*[0-9A-Fa-f*#][0-9A-Fa-f*#\-.()]*$/;
const PARAM_RE = /^[A-Za-z0-9-]+$/;
const PVALUE_RE = /^(?:[A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})+$/;

export function parseTelUri(text: string): TelUri {
  if (text.slice(0, 4).toLowerCase() !== 'tel:') throw badTel(text, 'not a tel URI');
  const [number = '', ...pieces] = text.slice(4).split(';');
  const params = pieces.map((piece) => {
    const equals = piece.indexOf('=');
    const name = equals >= 0 ? piece.slice(0, equals) : piece;
    const value = equals >= 0 ? piece.slice(equals + 1) : undefined;
    if (!PARAM_RE.test(name) || (value !== undefined && !PVALUE_RE.test(value))) {
      throw badTel(text, 'bad parameter');
    }
    return { name, value };
  });
  if (GLOBAL_RE.test(number)) return { kind: 'tel', number, params };
  if (!LOCAL_RE.test(number)) throw badTel(text, 'bad number');
  if (!params.some((param) => param.name.toLowerCase() === 'phone-context')) {
    throw badTel(text, 'a local number needs phone-context');
  }
  return { kind: 'tel', number, params };
}

export function serializeTelUri(uri: TelUri): string {
  return `tel:${uri.number}${uri.params.map((p) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`)).join('')}`;
}

function badTel(text: string, reason: string): SipParseError {
  return new SipParseError('bad_uri', `${reason}: ${JSON.stringify(text)}`);
}

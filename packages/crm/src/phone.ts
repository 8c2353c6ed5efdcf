/**
 * Telephone numbers as the CRMs need them. amoCRM matches a call to a contact by the
 * number's last 10 digits (https://kommo.com/developers/content/api_v4/adding-calls,
 * CRM-FACTS §4); Bitrix24's contact list filters by the exact string (CRM-FACTS §12). So
 * the connector writes E.164 (ITU-T E.164: `+`, country code, at most 15 digits) and
 * searches by digits.
 *
 * Russian habits handled (the default country is 7, Russia/Kazakhstan):
 * - `8XXXXXXXXXX` — the national trunk prefix 8 before a 10-digit number → `+7XXXXXXXXXX`;
 * - `XXXXXXXXXX` — 10 digits without any prefix → `+7XXXXXXXXXX`;
 * - `810…` — the old Russian international prefix → `+…`; `00…` likewise.
 * Shorter numbers are extensions or service numbers, not E.164: null.
 */
export interface PhoneOptions {
  /** Country code for 10-digit national numbers and the trunk prefix 8. */
  readonly defaultCountryCode?: string;
}

/** Only the digits ("+7 (912) 345-67-89" → "79123456789"). */
export function phoneDigits(raw: string): string {
  return raw.replace(/\D/g, '');
}

/** What amoCRM compares: the last 10 digits. */
export function lastTenDigits(raw: string): string {
  return phoneDigits(raw).slice(-10);
}

const allowed = /^[\d\s()+\-./]+$/;

/** The number in E.164 with its `+`, or null when it is not an outside number. */
export function normalizePhoneE164(raw: string, options: PhoneOptions = {}): string | null {
  const country = options.defaultCountryCode ?? '7';
  const trimmed = raw.trim();
  if (trimmed === '' || !allowed.test(trimmed)) return null;
  // A '+' is allowed only in front.
  if (trimmed.lastIndexOf('+') > 0) return null;
  let digits = phoneDigits(trimmed);
  if (!trimmed.startsWith('+')) {
    if (digits.startsWith('00')) digits = digits.slice(2);
    else if (country === '7' && digits.startsWith('810') && digits.length > 12)
      digits = digits.slice(3);
    else if (country === '7' && digits.length === 11 && digits.startsWith('8'))
      digits = `7${digits.slice(1)}`;
    else if (digits.length === 10) digits = `${country}${digits}`;
  }
  // E.164: at most 15 digits; fewer than 11 is no full international number here.
  if (digits.length < 11 || digits.length > 15 || digits.startsWith('0')) return null;
  return `+${digits}`;
}

/** Whether two spellings are the same subscriber by amoCRM's rule (last 10 digits). */
export function samePhone(a: string, b: string): boolean {
  const left = lastTenDigits(a);
  return left.length === 10 && left === lastTenDigits(b);
}

/**
 * The spellings a CRM may hold one E.164 number under, for searches by exact value
 * (Bitrix24's findbycomm compares what was typed): the E.164 form, and for Russian
 * numbers the national `8XXXXXXXXXX` that people type into a card.
 */
export function phoneSearchVariants(e164: string): string[] {
  const digits = phoneDigits(e164);
  const variants = [e164];
  if (digits.length === 11 && digits.startsWith('7')) variants.push(`8${digits.slice(1)}`);
  return variants;
}

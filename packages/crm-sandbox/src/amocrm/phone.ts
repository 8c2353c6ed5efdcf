/** Only the digits of a phone number as typed ("+7 (912) 345-67-89" → "79123456789"). */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

/**
 * amoCRM matches calls to entities "by the last 10 digits of the number"
 * (https://kommo.com/developers/content/api_v4/adding-calls), so "+7 912 …" and
 * "8 912 …" are the same subscriber.
 */
export function lastTenDigits(phone: string): string {
  return phoneDigits(phone).slice(-10);
}

export function samePhone(a: string, b: string): boolean {
  const left = lastTenDigits(a);
  return left.length > 0 && left === lastTenDigits(b);
}

/**
 * The contacts list `query` searches filled fields. For phones the sandbox matches the
 * query's digits inside the stored number's digits, or the last 10 digits of both, so a
 * connector may search by any spelling of the number.
 */
export function phoneMatchesQuery(stored: string, query: string): boolean {
  const queryDigits = phoneDigits(query);
  if (queryDigits.length < 3) return false;
  const storedDigits = phoneDigits(stored);
  if (storedDigits.includes(queryDigits)) return true;
  return queryDigits.length >= 10 && samePhone(stored, query);
}

/**
 * How the sandbox compares phone numbers where Bitrix24 itself matches them
 * (crm.duplicate.findbycomm, telephony.externalCall.register): by digits only, since the
 * search "does not consider the phone extension" and formatting
 * (crm-duplicate-find-by-comm.md). crm.contact.list does not use this: its PHONE filter
 * is an exact string match (crm-contact-list.md, CRM-FACTS #12).
 */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function samePhone(a: string, b: string): boolean {
  const left = phoneDigits(a);
  return left !== '' && left === phoneDigits(b);
}

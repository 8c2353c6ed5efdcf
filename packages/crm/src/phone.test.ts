import { describe, expect, it } from 'vitest';
import { lastTenDigits, normalizePhoneE164, phoneDigits, samePhone } from './phone.ts';

describe('normalizePhoneE164', () => {
  it.each([
    ['+7 (916) 123-45-67', '+79161234567'],
    ['79161234567', '+79161234567'],
    ['89161234567', '+79161234567'],
    ['8 (495) 111-22-33', '+74951112233'],
    ['9161234567', '+79161234567'],
    ['(916) 123 45 67', '+79161234567'],
    ['+380441234567', '+380441234567'],
    ['00380441234567', '+380441234567'],
    ['810380441234567', '+380441234567'],
    ['  +44 20 7946 0958 ', '+442079460958'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizePhoneE164(raw)).toBe(expected);
  });

  it.each([
    ['', 'empty'],
    ['101', 'an extension'],
    ['112', 'a service number'],
    ['+7916abc4567', 'letters'],
    ['7+9161234567', 'a plus inside'],
    ['+1234567890123456', 'more than 15 digits'],
    ['123456789', '9 digits'],
    ['anonymous', 'a caller id name'],
  ])('%s is not an outside number (%s)', (raw) => {
    expect(normalizePhoneE164(raw)).toBeNull();
  });

  it('takes another default country for 10-digit national numbers', () => {
    expect(normalizePhoneE164('2025550143', { defaultCountryCode: '1' })).toBe('+12025550143');
    // The trunk prefix 8 is a Russian habit only.
    expect(normalizePhoneE164('82025550143', { defaultCountryCode: '1' })).toBe('+82025550143');
  });
});

describe('digits and amoCRM matching', () => {
  it('keeps digits only and compares the last ten', () => {
    expect(phoneDigits('+7 (916) 123-45-67')).toBe('79161234567');
    expect(lastTenDigits('8 916 123 45 67')).toBe('9161234567');
    expect(samePhone('+79161234567', '8 (916) 123-45-67')).toBe(true);
    expect(samePhone('+79161234567', '+79161234568')).toBe(false);
    expect(samePhone('101', '101')).toBe(false);
  });
});
